# install.cmake: how hnbsim installs and packages (included from CMakeLists.txt).
#
# What `cmake --install` puts where (GNUInstallDirs, so a Debian package gets
# /usr/bin, /usr/lib, /usr/share/man ...):
#   bin/hnbsim                          the tool (linked to the static library)
#   lib/libhnbsim.so.0 -> .so.0.1.0     the shared library: soname libhnbsim.so.<HNB_SOVERSION>,
#   lib/libhnbsim.so, lib/libhnbsim.a   only hnb_ names exported (tests: exports); and the static one
#   lib/hnbsim/hnbsim-pngenc.so         the PNG encoder's settings, preloaded into gnuplot (plots/chartenv.c)
#   include/hnbsim/                     hnbsim.h, hnbsim_plots.h, hnbsim_report.h, core/errors.def
#   lib/pkgconfig/hnbsim.pc             relocatable (prefix from ${pcfiledir})
#   lib/cmake/hnbsim/                   find_package(hnbsim): hnbsim::hnbsim (shared), hnbsim::hnbsim_static
#   share/hnbsim/scenarios/sutton/      the embedded Sutton scenarios, as files
#   share/hnbsim/data/sen2/             the vendored DfE SEN2 tables (data/sen2/)
#   share/man/man1/hnbsim.1             the man page (man/hnbsim.1, roff source)
#   share/bash-completion/completions/hnbsim
#   lib/python3*/dist-packages/hnbsim/  the Python module (ctypes over the shared library; HNB_INSTALL_PYTHONDIR)
#   share/doc/hnbsim/                   README, API and Python docs, the examples
# Every installed file that names another does so relative to its own place,
# so the same build installs into a temporary prefix (the install tests) and
# into /usr through cpack -G DEB. The .so is built from the same objects as
# the static library, so those are compiled position-independent.
#
# Trade-off: one package, not -dev and runtime halves; the headers and the
# static library are small, and analysts want the Python module and the man
# page together.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(HNB_SOVERSION 0 CACHE STRING "soname version of libhnbsim.so: bump on every ABI break")
# Debian's interpreter (its python3-pandas), not one a user put first on PATH
if(EXISTS /usr/bin/python3)
  set(HNB_PYTHON_DEFAULT /usr/bin/python3)
else()
  find_program(HNB_PYTHON_DEFAULT python3)
endif()
set(HNB_PYTHON ${HNB_PYTHON_DEFAULT} CACHE FILEPATH "Python 3 for the Python module's tests")
# The Python module: Debian's python3 searches /usr/lib/python3/dist-packages
# (packages) and /usr/local/lib/python3.X/dist-packages (local installs), so
# the default follows the prefix; a .deb from a /usr/local tree gets
# /usr/lib/python3.X/dist-packages, which Debian's python3.X searches too.
set(HNB_PYVER "")
if(HNB_PYTHON)
  execute_process(COMMAND ${HNB_PYTHON} -c "import sys; print('%d.%d' % sys.version_info[:2])"
                  OUTPUT_VARIABLE HNB_PYVER OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" OR NOT HNB_PYVER)
  set(HNB_PYDIR_DEFAULT "lib/python3/dist-packages")
else()
  set(HNB_PYDIR_DEFAULT "lib/python${HNB_PYVER}/dist-packages")
endif()
set(HNB_INSTALL_PYTHONDIR "${HNB_PYDIR_DEFAULT}" CACHE STRING "where the Python module goes, relative to the prefix")
set(HNB_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/hnbsim")

foreach(t hnbsim_model hnbsim_plots hnbsim_report)
  set_target_properties(${t} PROPERTIES POSITION_INDEPENDENT_CODE ON)
endforeach()

add_library(hnbsim_shared SHARED $<TARGET_OBJECTS:hnbsim_model> $<TARGET_OBJECTS:hnbsim_plots>
                                 $<TARGET_OBJECTS:hnbsim_report>)
set_target_properties(hnbsim_shared PROPERTIES OUTPUT_NAME hnbsim EXPORT_NAME hnbsim
  VERSION ${PROJECT_VERSION} SOVERSION ${HNB_SOVERSION} C_VISIBILITY_PRESET hidden)
target_include_directories(hnbsim_shared INTERFACE
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/model> $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/plots>
  $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/report> $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/hnbsim>)
target_link_libraries(hnbsim_shared PRIVATE PkgConfig::GSL PkgConfig::CJSON PkgConfig::XLSXWRITER PkgConfig::ZLIB Threads::Threads m)
target_link_options(hnbsim_shared PRIVATE "LINKER:--version-script=${PROJECT_SOURCE_DIR}/cmake/hnbsim.map")
set_property(TARGET hnbsim_shared APPEND PROPERTY LINK_DEPENDS ${PROJECT_SOURCE_DIR}/cmake/hnbsim.map)
if(NOT HNB_SANITIZE AND NOT HNB_BUILD_FUZZERS)
  target_link_options(hnbsim_shared PRIVATE "LINKER:--no-undefined")
endif()
set_target_properties(hnbsim PROPERTIES EXPORT_NAME hnbsim_static)
target_include_directories(hnbsim INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}/hnbsim>)

install(TARGETS hnbsim_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS hnbsim_shared EXPORT hnbsimTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} NAMELINK_COMPONENT Unspecified)
install(TARGETS hnbsim EXPORT hnbsimStaticTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES model/hnbsim.h plots/hnbsim_plots.h report/hnbsim_report.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hnbsim)
# hnbsim.h includes "core/errors.def" (the error table): beside it, as in the tree
install(FILES model/core/errors.def DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/hnbsim/core)

# pkg-config: relocatable; the dependencies are named in Libs.private only
# (the public headers include none of theirs), so `pkg-config --cflags --libs
# hnbsim` needs no -dev package of GSL, cJSON or libxlsxwriter.
set(HNB_PC_PRIVATE "")
foreach(l IN LISTS GSL_LIBRARIES CJSON_LIBRARIES XLSXWRITER_LIBRARIES ZLIB_LIBRARIES)
  if(NOT " ${HNB_PC_PRIVATE} " MATCHES " -l${l} ")
    string(APPEND HNB_PC_PRIVATE " -l${l}")
  endif()
endforeach()
string(APPEND HNB_PC_PRIVATE " -pthread")
file(RELATIVE_PATH HNB_PC_TO_PREFIX "/x/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/x")
configure_file(cmake/hnbsim.pc.in ${PROJECT_BINARY_DIR}/hnbsim.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/hnbsim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# find_package(hnbsim): the shared library always; the static one when the
# -dev packages of its dependencies are there to link it with.
install(EXPORT hnbsimTargets NAMESPACE hnbsim:: DESTINATION ${HNB_INSTALL_CMAKEDIR})
install(EXPORT hnbsimStaticTargets NAMESPACE hnbsim:: DESTINATION ${HNB_INSTALL_CMAKEDIR})
configure_package_config_file(cmake/hnbsimConfig.cmake.in ${PROJECT_BINARY_DIR}/hnbsimConfig.cmake
  INSTALL_DESTINATION ${HNB_INSTALL_CMAKEDIR} PATH_VARS CMAKE_INSTALL_DATADIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hnbsimConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hnbsimConfig.cmake ${PROJECT_BINARY_DIR}/hnbsimConfigVersion.cmake
  DESTINATION ${HNB_INSTALL_CMAKEDIR})

# Data: the scenarios the program embeds, and the SEN2 tables they come from.
install(FILES ${HNB_EMBEDDED_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/hnbsim/scenarios/sutton)
install(DIRECTORY data/sen2/ DESTINATION ${CMAKE_INSTALL_DATADIR}/hnbsim/data/sen2)
# ... which the installed library finds from its own folder (model/import/sen2db.c)
file(RELATIVE_PATH HNB_LIB_TO_SEN2 "/x/${CMAKE_INSTALL_LIBDIR}" "/x/${CMAKE_INSTALL_DATADIR}/hnbsim/data/sen2")
target_compile_definitions(hnbsim_model PRIVATE HNB_LIB_TO_SEN2="${HNB_LIB_TO_SEN2}")

# The PNG encoder's settings for gnuplot (plots/preload/pngenc.c), which the
# library finds from its own folder or the program's (plots/chartenv.c)
install(TARGETS hnbsim_pngenc LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/hnbsim)
file(RELATIVE_PATH HNB_LIB_TO_PNGENC "/x/${CMAKE_INSTALL_LIBDIR}" "/x/${CMAKE_INSTALL_LIBDIR}/hnbsim/hnbsim-pngenc.so")
file(RELATIVE_PATH HNB_BIN_TO_PNGENC "/x/${CMAKE_INSTALL_BINDIR}" "/x/${CMAKE_INSTALL_LIBDIR}/hnbsim/hnbsim-pngenc.so")
target_compile_definitions(hnbsim_plots PRIVATE HNB_LIB_TO_PNGENC="${HNB_LIB_TO_PNGENC}"
                                                HNB_BIN_TO_PNGENC="${HNB_BIN_TO_PNGENC}")

install(FILES man/hnbsim.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES completions/hnbsim.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
  RENAME hnbsim)

# Python: the package, and where the library and data are from its own place.
file(RELATIVE_PATH HNB_PY_TO_LIB "/x/${HNB_INSTALL_PYTHONDIR}/hnbsim" "/x/${CMAKE_INSTALL_LIBDIR}")
file(RELATIVE_PATH HNB_PY_TO_DATA "/x/${HNB_INSTALL_PYTHONDIR}/hnbsim" "/x/${CMAKE_INSTALL_DATADIR}/hnbsim")
configure_file(python/hnbsim/_paths.py.in ${PROJECT_BINARY_DIR}/python/_paths.py @ONLY)
file(GLOB HNB_PY_FILES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/python/hnbsim/*.py)
install(FILES ${HNB_PY_FILES} ${PROJECT_BINARY_DIR}/python/_paths.py DESTINATION ${HNB_INSTALL_PYTHONDIR}/hnbsim)

install(FILES README.md docs/api.md docs/python.md docs/results-format.md docs/scenario-format.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES examples/position.c examples/Makefile examples/CMakeLists.txt examples/README.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# ---- Tests of the install (tests/install/, python/tests/) -------------------
if(HNB_BUILD_TESTS)
  set(HNB_T ${PROJECT_SOURCE_DIR}/tests/install)
  set(HNB_IWORK ${PROJECT_BINARY_DIR}/install-test)
  set(HNB_TEST_ENV "SOURCE_DATE_EPOCH=1795392000" "HNB_SRC=${PROJECT_SOURCE_DIR}" "HNB_PYTHON=${HNB_PYTHON}"
                   "HNB_PYTHONDIR=${HNB_INSTALL_PYTHONDIR}")
  # The sanitizer build: the example is compiled with the same flags, and
  # Python (not instrumented) gets the sanitizer runtimes preloaded.
  set(HNB_PY_ENV "")
  if(HNB_SANITIZE)
    list(APPEND HNB_TEST_ENV "HNB_EXAMPLE_CFLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer")
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libasan.so OUTPUT_VARIABLE HNB_ASAN_RT OUTPUT_STRIP_TRAILING_WHITESPACE)
    execute_process(COMMAND ${CMAKE_C_COMPILER} -print-file-name=libubsan.so OUTPUT_VARIABLE HNB_UBSAN_RT OUTPUT_STRIP_TRAILING_WHITESPACE)
    set(HNB_PY_ENV "LD_PRELOAD=${HNB_ASAN_RT}:${HNB_UBSAN_RT}" "ASAN_OPTIONS=detect_leaks=0")
  endif()

  add_test(NAME exports COMMAND sh ${HNB_T}/check_exports.sh $<TARGET_FILE:hnbsim_shared> ${PROJECT_SOURCE_DIR})
  add_test(NAME man_help COMMAND ${HNB_PYTHON} ${HNB_T}/check_man.py $<TARGET_FILE:hnbsim_cli>
                                 ${PROJECT_SOURCE_DIR}/man/hnbsim.1 ${PROJECT_SOURCE_DIR}/cli)
  add_test(NAME man_lint COMMAND sh ${HNB_T}/check_man_lint.sh ${PROJECT_SOURCE_DIR}/man/hnbsim.1)
  add_test(NAME api_docs COMMAND sh ${HNB_T}/check_api_docs.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/api-docs-test)
  add_test(NAME python_module COMMAND ${HNB_PYTHON} -m unittest discover -s ${PROJECT_SOURCE_DIR}/python/tests
           WORKING_DIRECTORY ${PROJECT_BINARY_DIR})
  set_tests_properties(python_module PROPERTIES ENVIRONMENT
    "${HNB_TEST_ENV};${HNB_PY_ENV};HNB_BIN=$<TARGET_FILE:hnbsim_cli>;HNBSIM_LIBRARY=$<TARGET_FILE:hnbsim_shared>;PYTHONPATH=${PROJECT_SOURCE_DIR}/python")

  add_test(NAME install COMMAND sh ${HNB_T}/check_install.sh install ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${HNB_IWORK})
  set_tests_properties(install PROPERTIES FIXTURES_SETUP hnb_install ENVIRONMENT "${HNB_TEST_ENV}")
  foreach(step pkgconfig static findpackage python completion)
    add_test(NAME install_${step} COMMAND sh ${HNB_T}/check_install.sh ${step} ${PROJECT_BINARY_DIR}
                                          ${PROJECT_SOURCE_DIR} ${HNB_IWORK})
    set_tests_properties(install_${step} PROPERTIES FIXTURES_REQUIRED hnb_install ENVIRONMENT "${HNB_TEST_ENV}")
  endforeach()
  set_tests_properties(install_python PROPERTIES ENVIRONMENT "${HNB_TEST_ENV};${HNB_PY_ENV}")
  if(HNB_SANITIZE)
    # python_module already runs the module over the instrumented library; the
    # installed layout is the normal build's to check (minutes saved)
    set_tests_properties(install_python PROPERTIES DISABLED ON)
  endif()
endif()

# HTML of the public headers' documentation: cmake --build build --target api-html
find_program(HNB_DOXYGEN doxygen)
if(HNB_DOXYGEN)
  add_custom_target(api-html
    COMMAND sed -e "s|@SRC@|${PROJECT_SOURCE_DIR}|g" -e "s|@OUT@|${PROJECT_BINARY_DIR}/api|g" -e "s|@HTML@|YES|"
            ${PROJECT_SOURCE_DIR}/tests/install/Doxyfile.in > ${PROJECT_BINARY_DIR}/Doxyfile.api
    COMMAND ${HNB_DOXYGEN} ${PROJECT_BINARY_DIR}/Doxyfile.api
    COMMENT "API documentation in ${PROJECT_BINARY_DIR}/api/html/index.html" VERBATIM)
endif()

# cpack -G DEB: hnbsim_<version>_<arch>.deb, installable with apt-get install ./hnbsim_*.deb
set(CPACK_PACKAGE_NAME hnbsim)
set(CPACK_PACKAGE_VENDOR "hnbsim")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "High Needs Block (SEND funding) forecasting for English local authorities")
set(CPACK_PACKAGE_DESCRIPTION "hnbsim projects EHCPs by age and placement from the January census, costs them,
funds them from the High Needs Block of the Dedicated Schools Grant, and forecasts
the in-year and cumulative DSG position under management-plan scenarios,
deterministically and by Monte Carlo. The package has the hnbsim tool, the C
library (shared and static, with headers, pkg-config and CMake files), a Python
module, the Sutton scenarios, the man page and bash completion.")
set(HNB_DEB_MAINTAINER "hnbsim maintainers <hnbsim@example.invalid>" CACHE STRING "Maintainer field of the .deb")
set(CPACK_PACKAGE_CONTACT "${HNB_DEB_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gnuplot-nox | gnuplot, fonts-dejavu-core")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3, bash-completion")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3-pandas, pkg-config")
set(CPACK_STRIP_FILES ON)
include(CPack)
