#!/bin/sh
# check_api_docs.sh SOURCE_DIR WORK_DIR: the public headers are documented for
# Doxygen (ctest api_docs): doxygen, warning about every undocumented function,
# parameter, enum value or type of model/hnbsim.h, plots/hnbsim_plots.h and
# report/hnbsim_report.h, must print no warning. The same configuration with
# GENERATE_HTML=YES is the `api-html` build target.
set -eu
src=$1 work=$2
command -v doxygen >/dev/null 2>&1 || { echo "api_docs: doxygen not found (expected the doxygen package: scripts/setup)"; exit 1; }
rm -rf "$work" && mkdir -p "$work"
sed -e "s|@SRC@|$src|g" -e "s|@OUT@|$work|g" -e "s|@HTML@|NO|" "$src/tests/install/Doxyfile.in" > "$work/Doxyfile"
doxygen "$work/Doxyfile" >"$work/doxygen.out" 2>&1 || { cat "$work/doxygen.out"; exit 1; }
if [ -s "$work/warnings.log" ]; then
  echo "api_docs: the public headers have undocumented or wrongly documented items (document each with /** ... */):"
  sed "s|$src/||" "$work/warnings.log"
  exit 1
fi
n=$(grep -c 'kind="function"' "$work"/xml/*_8h.xml | awk -F: '{s+=$2} END {print s}')
echo "api_docs: $n functions in the public headers, all documented"
