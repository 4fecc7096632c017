# Finds a JDK >= 25 and exports JAVA_HOME; sourced by ./jbpf, ./test and .ci/run.
# Order: $JAVA_HOME, then /usr/lib/jvm/*, then the java on PATH.
jbpf_java_feature() {  # prints the feature version of the JDK at $1, or nothing
  local rel="$1/release" v
  [ -x "$1/bin/java" ] || return 0
  if [ -r "$rel" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel")
  else
    v=$("$1/bin/java" -version 2>&1 | sed -n '1s/.*version "\([0-9]*\).*/\1/p')
  fi
  echo "$v"
}
jbpf_find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$c" ] && [ -d "$c" ] || continue
    [ -x "$c/bin/javac" ] || continue
    v=$(jbpf_java_feature "$c")
    if [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$c"
      return 0
    fi
  done
  echo "jbpf: needs a JDK 25 or newer, and none was found in \$JAVA_HOME, /usr/lib/jvm or on PATH." >&2
  echo "HINT: install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
