#!/usr/bin/env bash
# Source checks (c-style.md sections 8, 13): banned functions, core purity, formatting.
# Usage: tools/checksrc.sh   (exit 1 and a list of findings on failure)
set -u
cd "$(dirname "$0")/.."
status=0
files=$(git ls-files '*.c' '*.h' 2>/dev/null || find src include cli tests bench examples -name '*.[ch]')

# 1. Banned functions: unsafe string handling and unchecked number parsing.
banned='\b(atoi|atof|atol|atoll|strtok|sprintf|vsprintf|strcpy|strcat|gets)[[:space:]]*\('
hits=$(grep -nE "$banned" $files | grep -v 'checksrc: allow' || true)
if [ -n "$hits" ]; then echo "banned functions (use strtod/strtoll with endptr, snprintf):"; echo "$hits"; status=1; fi
hits=$(grep -nE '\bsscanf[[:space:]]*\([^;]*%[0-9]*[dfgeilu]' $files | grep -v 'checksrc: allow' || true)
if [ -n "$hits" ]; then echo "sscanf for numbers (use strtod/strtoll with endptr):"; echo "$hits"; status=1; fi

# 2. The core stays pure: no I/O, no allocation, no process control.
core=$(git ls-files 'src/core/*.c' 'src/core/**/*.c' 2>/dev/null)
hits=$(grep -nE '#include[[:space:]]*<(stdio|stdlib|unistd|fcntl|time)\.h>|\b(malloc|calloc|realloc|free|printf|fprintf|fopen|exit|abort)[[:space:]]*\(' $core || true)
if [ -n "$hits" ]; then echo "src/core must not allocate, print, do I/O or exit:"; echo "$hits"; status=1; fi
# No mutable file-scope state in the core (const tables and defaults only).
hits=$(grep -nE '^(static[[:space:]]+)?(int|float|double|char|unsigned|long|short|size_t|uint[0-9]+_t|int[0-9]+_t|bstep_[a-z_]+)[[:space:]]+[a-z_][a-z0-9_]*[[:space:]]*(\[[^]]*\])?[[:space:]]*(=|;)' $core | grep -v 'const' || true)
if [ -n "$hits" ]; then echo "src/core must not have mutable globals:"; echo "$hits"; status=1; fi

# 3. Formatting (clang-format 14, .clang-format).
if command -v clang-format >/dev/null 2>&1; then
  unformatted=""
  for f in $files; do
    if ! clang-format --dry-run --Werror "$f" >/dev/null 2>&1; then unformatted="$unformatted $f"; fi
  done
  if [ -n "$unformatted" ]; then echo "not clang-formatted (run: clang-format -i FILE):$unformatted"; status=1; fi
else
  echo "clang-format not installed: formatting not checked"
fi
[ $status -eq 0 ] && echo "checksrc: clean"
exit $status
