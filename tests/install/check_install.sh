#!/bin/sh
# check_install.sh STEP BUILD_DIR SOURCE_DIR WORK_DIR: cmake --install into a
# temporary prefix and use what was installed, as an analyst would (ctest
# install_*). STEP is one of:
#   install      cmake --install into WORK_DIR/prefix; every file in its place,
#                the data identical to the source tree, the soname versioned,
#                the installed program runs the installed Sutton file, and
#                it and the library find the installed SEN2 tables
#   pkgconfig    build examples/position.c with `pkg-config --cflags --libs
#                hnbsim` (shared) and run it: its cumulative positions are the
#                installed program's results.json for the same file
#   static       the same with `pkg-config --static` and libhnbsim.a
#   findpackage  the same through find_package(hnbsim) (examples/CMakeLists.txt),
#                shared and static targets
#   python       the Python module's tests against the installed module and
#                library (no HNBSIM_LIBRARY, no source tree on the path)
#   completion   bash completion of commands, options and scenario names with
#                the installed program and data
#   run          the installed program's run with every output, charts included
# HNB_EXAMPLE_CFLAGS: extra compiler flags for the example (the sanitizer
# build passes its -fsanitize flags). Steps after install need its prefix
# (ctest fixture hnb_install).
set -eu
step=$1 build=$2 src=$3 work=$4
prefix=${HNB_PREFIX:-$work/prefix} # HNB_PREFIX=/usr: the same checks on the installed .deb (scripts/test-deb)
PYTHON=${HNB_PYTHON:-python3}
pydir=${HNB_PYTHONDIR:-lib/python3/dist-packages} # where the Python module is installed, under the prefix
fail() { echo "$step: $*" >&2; exit 1; }

# expected: the installed program's cumulative positions, printed as position.c prints them
expected() {
  "$prefix/bin/hnbsim" run "$1" --out "$work/$step-run" --no-charts --no-spreadsheets --quiet
  "$PYTHON" - "$work/$step-run/results.json" "$("$prefix/bin/hnbsim" --version | cut -d' ' -f2)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
print(f"hnbsim {sys.argv[2]}: cumulative DSG position, £m (negative = deficit)")
for s in d["scenarios"]:
    print(s["name"])
    for y in s["years"]:
        print("  %s (at 31 March %d): %8.1f" % (y["fy"], int(y["fy"][:4]) + 1, y["cumulative"] / 1e6))
    print("  at the end of the override (%s): %.1f" % (s["override_end"], s["headline"]["cumulative_at_override_end"] / 1e6))
PY
}

pcdir() { # the folder of the installed hnbsim.pc
  for d in "$prefix"/lib*/pkgconfig "$prefix"/lib/*/pkgconfig; do
    [ -f "$d/hnbsim.pc" ] && { echo "$d"; return; }
  done
  fail "no hnbsim.pc under $prefix/lib*"
}

check_example() { # check_example BINARY LABEL
  sutton=$prefix/share/hnbsim/scenarios/sutton/sutton.json
  expected "$sutton" >"$work/$step.want"
  "$1" "$sutton" >"$work/$step.got" || fail "$2: the example failed"
  diff -u "$work/$step.want" "$work/$step.got" || fail "$2: the example's positions differ from hnbsim run's results.json"
  "$1" >"$work/$step.embedded" || fail "$2: the example failed on the embedded scenarios"
  diff -u "$work/$step.got" "$work/$step.embedded" || fail "$2: the embedded scenarios differ from the installed file"
  "$1" /nonexistent.json 2>"$work/$step.err" && fail "$2: a missing file did not fail"
  grep -q "position: /nonexistent.json: cannot open" "$work/$step.err" || fail "$2: unexpected error: $(cat "$work/$step.err")"
  echo "$2: ok ($(grep -c 'end of the override' "$work/$step.got") scenarios, $(grep 'override' "$work/$step.got" | head -1 | sed 's/^ *//'))"
}

case $step in
install)
  rm -rf "$work" && mkdir -p "$work"
  cmake --install "$build" --prefix "$prefix" >"$work/install.log" || { cat "$work/install.log"; fail "cmake --install failed"; }
  libdir=$(sed -n 's|^libdir=${prefix}/||p' "$(pcdir)/hnbsim.pc")
  [ -n "$libdir" ] || fail "no hnbsim.pc with libdir"
  for f in bin/hnbsim "$libdir/libhnbsim.a" "$libdir/libhnbsim.so" "$libdir/hnbsim/hnbsim-pngenc.so" include/hnbsim/hnbsim.h include/hnbsim/hnbsim_plots.h \
           include/hnbsim/hnbsim_report.h include/hnbsim/core/errors.def "$libdir/pkgconfig/hnbsim.pc" \
           "$libdir/cmake/hnbsim/hnbsimConfig.cmake" "$libdir/cmake/hnbsim/hnbsimConfigVersion.cmake" \
           share/man/man1/hnbsim.1 share/bash-completion/completions/hnbsim "$pydir/hnbsim/__init__.py" \
           "$pydir/hnbsim/_paths.py" share/doc/hnbsim/examples/position.c share/doc/hnbsim/api.md; do
    [ -e "$prefix/$f" ] || fail "$f was not installed"
  done
  soname=$(objdump -p "$prefix/$libdir/libhnbsim.so" | awk '/SONAME/ {print $2}')
  [ "$soname" = "libhnbsim.so.0" ] || fail "soname is '$soname' (expected libhnbsim.so.0)"
  [ -f "$prefix/$libdir/$soname" ] || fail "$soname is not installed"
  for f in "$src"/scenarios/sutton/*.json; do
    cmp "$f" "$prefix/share/hnbsim/scenarios/sutton/${f##*/}" || fail "share/hnbsim/scenarios/sutton/${f##*/} differs from the source"
  done
  for f in "$src"/data/sen2/*; do
    cmp "$f" "$prefix/share/hnbsim/data/sen2/${f##*/}" || fail "share/hnbsim/data/sen2/${f##*/} differs from the source"
  done
  # the installed header compiles on its own, in C and C++ if there is one
  printf '#include <hnbsim.h>\n#include <hnbsim_plots.h>\n#include <hnbsim_report.h>\nint main(void) { return HNB_E_USAGE == 401 ? 0 : 1; }\n' >"$work/hdr.c"
  ${CC:-cc} -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only -I"$prefix/include/hnbsim" "$work/hdr.c" || fail "the installed headers do not compile"
  "$prefix/bin/hnbsim" --version | grep -q "^hnbsim [0-9]" || fail "installed hnbsim --version"
  "$prefix/bin/hnbsim" validate --quiet "$prefix/share/hnbsim/scenarios/sutton/sutton.json" || fail "the installed Sutton file is not valid"
  # the installed SEN2 tables, found by the installed program and library from their own place
  # (not the source tree's): import-sen2 works, and from a copy of the prefix whose tables are
  # damaged it fails naming the copy's file, both from the program and from a C program linked
  # to the copy's libhnbsim.so
  (cd "$work" && env -u HNB_SEN2_DATA "$prefix/bin/hnbsim" import-sen2 --la Sutton --census 2025 \
    --out "$work/sutton-sen2.json" --quiet) || fail "the installed hnbsim import-sen2 failed"
  moved=$work/moved
  rm -rf "$moved" && cp -a "$prefix" "$moved"
  bad=$moved/share/hnbsim/data/sen2/hnbsim_tables.csv.gz
  printf 'not the tables\n' | gzip -n >"$bad"
  if env -u HNB_SEN2_DATA "$moved/bin/hnbsim" import-sen2 --la Sutton --out "$work/x.json" --quiet 2>"$work/sen2.err"; then
    fail "import-sen2 from a moved prefix did not read its own (damaged) tables"
  fi
  grep -qF "$bad: line 1" "$work/sen2.err" || fail "import-sen2 from a moved prefix: $(cat "$work/sen2.err") (expected $bad)"
  printf '#include <hnbsim.h>\n#include <stdio.h>\n#include <stdlib.h>\nint main(void) {\n  hnb_model *h = hnb_model_alloc();\n  hnb_import_options o = {"Sutton", 2025, NULL};\n  char *j = NULL;\n  int rc = hnb_import_sen2(h, &o, &j);\n  puts(rc ? hnb_errmsg(h) : "ok");\n  free(j);\n  hnb_model_free(h);\n  return 0;\n}\n' >"$work/sen2.c"
  ${CC:-cc} ${HNB_EXAMPLE_CFLAGS:-} -o "$work/sen2" "$work/sen2.c" -I"$moved/include/hnbsim" -L"$moved/$libdir" -lhnbsim \
    -Wl,-rpath,"$moved/$libdir" || fail "a C program does not build against the moved prefix"
  env -u HNB_SEN2_DATA "$work/sen2" | grep -qF "$bad: line 1" || fail "libhnbsim.so from a moved prefix: $(env -u HNB_SEN2_DATA "$work/sen2") (expected $bad)"
  rm -rf "$moved"
  echo "install: ok ($(find "$prefix" -type f | wc -l) files under the prefix, $soname)"
  ;;
pkgconfig)
  export PKG_CONFIG_PATH="$(pcdir)"
  pkg-config --exists hnbsim || fail "pkg-config does not find hnbsim in $PKG_CONFIG_PATH"
  inc=$(pkg-config --cflags-only-I hnbsim | sed 's/^-I//; s/ *$//')
  [ "$(cd "$inc" && pwd -P)" = "$(cd "$prefix/include/hnbsim" && pwd -P)" ] || fail "cflags: $(pkg-config --cflags hnbsim) (expected -I$prefix/include/hnbsim)"
  # build as docs/api.md says: cc position.c $(pkg-config --cflags --libs hnbsim)
  ${CC:-cc} ${HNB_EXAMPLE_CFLAGS:-} -o "$work/position" "$src/examples/position.c" $(pkg-config --cflags --libs hnbsim) \
    -Wl,-rpath,"$(pkg-config --variable=libdir hnbsim)" || fail "the example does not build with pkg-config"
  ldd "$work/position" | grep -q "libhnbsim.so.0 => .*${prefix#/}" || fail "the example is not linked to the installed libhnbsim.so.0: $(ldd "$work/position" | grep hnbsim)"
  check_example "$work/position" "pkg-config (shared)"
  ;;
static)
  export PKG_CONFIG_PATH="$(pcdir)"
  rm -rf "$work/make" && mkdir -p "$work/make" && cp "$src/examples/position.c" "$src/examples/Makefile" "$work/make/"
  make -s -C "$work/make" position-static CFLAGS="-O2 ${HNB_EXAMPLE_CFLAGS:-}" >/dev/null || fail "make position-static failed"
  if ldd "$work/make/position-static" | grep -q libhnbsim; then fail "position-static is linked to libhnbsim.so"; fi
  check_example "$work/make/position-static" "pkg-config --static"
  make -s -C "$work/make" position CFLAGS="-O2 ${HNB_EXAMPLE_CFLAGS:-}" >/dev/null || fail "make (shared) failed"
  check_example "$work/make/position" "Makefile (shared)"
  ;;
findpackage)
  rm -rf "$work/cmake"
  cmake -S "$src/examples" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_FLAGS="${HNB_EXAMPLE_CFLAGS:-}" \
    >"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "find_package(hnbsim) failed"; }
  cmake --build "$work/cmake" >>"$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; fail "the example does not build with find_package"; }
  [ -x "$work/cmake/position-static" ] || fail "hnbsim::hnbsim_static was not defined (are the -dev packages installed?)"
  check_example "$work/cmake/position" "find_package (hnbsim::hnbsim)"
  check_example "$work/cmake/position-static" "find_package (hnbsim::hnbsim_static)"
  ;;
python)
  unset HNBSIM_LIBRARY PYTHONPATH
  export PYTHONDONTWRITEBYTECODE=1 # leave no __pycache__ in an installed package
  cd "$work"
  PYTHONPATH="$prefix/$pydir" HNB_BIN="$prefix/bin/hnbsim" \
    "$PYTHON" -c "import hnbsim, sys; p = hnbsim.library_path; sys.exit(0 if p.startswith('$prefix') and hnbsim.sutton_path() else 'hnbsim: library ' + p + ', sutton ' + str(hnbsim.sutton_path()))" \
    || fail "the installed module does not use the installed library and data"
  PYTHONPATH="$prefix/$pydir" HNB_BIN="$prefix/bin/hnbsim" HNB_SRC="$src" \
    "$PYTHON" -m unittest discover -s "$src/python/tests" -t "$src/python/tests" || fail "the module's tests failed against the install"
  ;;
completion)
  command -v bash >/dev/null || fail "bash not found"
  PATH="$prefix/bin:$PATH" bash -c '
    . "$1/share/bash-completion/completions/hnbsim"
    t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _hnbsim; printf "%s\n" "${COMPREPLY[*]}"; }
    got=$(t hnbsim ""); want=$(hnbsim --help | sed -n "s/^  hnbsim \([a-z][a-z0-9-]*\).*/\1/p" | sort -u | tr "\n" " " | sed "s/ $//")
    [ "$got" = "$want" ] || { echo "commands: got [$got], want [$want]"; exit 1; }
    [ "$(t hnbsim ru)" = "run" ] || { echo "hnbsim ru: $(t hnbsim ru)"; exit 1; }
    [ "$(t hnbsim run --no-)" = "--no-charts --no-pdf --no-spreadsheets" ] || { echo "run --no-: $(t hnbsim run --no-)"; exit 1; }
    [ "$(t hnbsim --ver)" = "--version" ] || { echo "--ver: $(t hnbsim --ver)"; exit 1; }
    [ "$(t hnbsim plot x.json --format png,s)" = "png,svg" ] || { echo "--format: $(t hnbsim plot x.json --format png,s)"; exit 1; }
    # scenario names of the installed Sutton file (no file on the line) and of a file named
    names=$("$3" -c "import json, sys; print(\" \".join(json.load(open(sys.argv[1]))[\"scenarios\"]))" "$1/share/hnbsim/scenarios/sutton/sutton.json")
    [ "$(t hnbsim calibrate --scenario "")" = "$names" ] || { echo "--scenario: $(t hnbsim calibrate --scenario ""), expected $names"; exit 1; }
    [ "$(t hnbsim calibrate "$2/tests/data/hand.json" --scenario "")" = "base" ] || { echo "--scenario FILE: $(t hnbsim calibrate "$2/tests/data/hand.json" --scenario "")"; exit 1; }
    [ "$(t hnbsim calibrate --fit cost)" = "cost_scale" ] || { echo "--fit: $(t hnbsim calibrate --fit cost)"; exit 1; }
    cd "$2/tests/data" && [ "$(t hnbsim validate han | tr " " "\n" | sort | tr "\n" " ")" = "hand-noise.json hand.json " ] || { echo "files: $(t hnbsim validate han)"; exit 1; }
    echo "completion: ok"
  ' sh "$prefix" "$src" "$PYTHON" || fail "bash completion"
  ;;
run)
  out=$work/run-out
  rm -rf "$out"
  "$prefix/bin/hnbsim" run --out "$out" --paths 200 --seed 1 --quiet || fail "hnbsim run failed"
  for f in results.json hnbsim.xlsx csv charts/cumulative.png charts/cumulative.pdf; do
    [ -e "$out/$f" ] || fail "hnbsim run did not write $f"
  done
  "$prefix/bin/hnbsim" compare "$out/results.json" >"$work/compare.txt" || fail "hnbsim compare failed"
  echo "run: ok ($("$prefix/bin/hnbsim" --version), $(ls "$out/charts" | wc -l) chart files)"
  ;;
*) fail "unknown step (expected install, pkgconfig, static, findpackage, python, completion or run)" ;;
esac
