# Finds a JDK >= 25 and exports JAVA_HOME, and installs missing packages; sourced by ./jbpf and ./test.
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

# Installs the Debian packages that are missing, given as CHECK=PACKAGE pairs where CHECK is a command name or an
# absolute file path (several paths joined by '|'). Needs root and apt-get; otherwise says what to install.
jbpf_ensure_packages() {
  local spec check pkg f found need=()
  for spec in "$@"; do
    check=${spec%%=*}; pkg=${spec#*=}
    if [[ $check == /* ]]; then
      found=
      IFS='|' read -ra files <<<"$check"
      for f in "${files[@]}"; do [ -e "$f" ] && found=1; done
      [ -n "$found" ] || need+=("$pkg")
    else
      command -v "$check" >/dev/null || need+=("$pkg")
    fi
  done
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "jbpf: needs ${need[*]}; install them (e.g. apt-get install ${need[*]}) and try again." >&2
    return 1
  fi
  echo "jbpf: installing ${need[*]}..." >&2
  local log; log=$(mktemp)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "jbpf: apt-get install ${need[*]} failed" >&2
    return 1
  fi
  rm -f "$log"
}
