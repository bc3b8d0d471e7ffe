# shellcheck shell=bash
# Shared by .ci/run and deploy/local/run.sh (sourced): finds a JDK >= 21 and exports JAVA_HOME.
# The caller defines log().

# Prints the Java specification version of a java binary: 1.8 -> 8, 21 -> 21, 25 -> 25.
java_major() {
  local version
  version=$("$1" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^[[:space:]]*java\.specification\.version = //p' | head -n 1)
  version=${version#1.}
  printf '%s\n' "${version%%.*}"
}

# Sets JAVA_HOME to a JDK >= 21: the given JAVA_HOME if it qualifies, else the newest in /usr/lib/jvm.
select_jdk() {
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [[ -n "$candidate" && -x "$candidate/bin/java" && -x "$candidate/bin/javac" ]] || continue
    major=$(java_major "$candidate/bin/java")
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if [[ "$candidate" == "${JAVA_HOME:-}" && "$major" -ge 21 ]]; then
      best=$candidate
      best_major=$major
      break
    fi
    if ((major > best_major)); then
      best=$candidate
      best_major=$major
    fi
  done
  if ((best_major < 21)); then
    log "no JDK >= 21 found (looked at JAVA_HOME and /usr/lib/jvm/*); install one, e.g. Temurin 21 or 25"
    exit 1
  fi
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
  log "using JDK $best_major at $JAVA_HOME"
}
