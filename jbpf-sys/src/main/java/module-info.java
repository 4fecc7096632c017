/** Linux system calls through the FFM API; the only module given --enable-native-access. */
module jbpf.sys {
}
