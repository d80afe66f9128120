# hecto_pkg_or_library(VAR MODULE pc-name HEADER header LIBRARY lib): defines PkgConfig::VAR from
# pkg-config when it knows the module, else from a plain header and library search (CMAKE_PREFIX_PATH).
# Why the fallback: a bare GPU machine may have no pkg-config, and scripts/gpu-check.sh brings the
# Debian packages unpacked into a private prefix whose .pc files still say prefix=/usr.
find_package(PkgConfig QUIET)

function(hecto_pkg_or_library var)
  cmake_parse_arguments(P "" "MODULE;HEADER;LIBRARY" "" ${ARGN})
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(${var} QUIET IMPORTED_TARGET GLOBAL ${P_MODULE})
    if(TARGET PkgConfig::${var})
      return()
    endif()
  endif()
  find_path(${var}_HEADER_DIR ${P_HEADER})
  find_library(${var}_LIBRARY_FILE ${P_LIBRARY})
  if(NOT ${var}_HEADER_DIR OR NOT ${var}_LIBRARY_FILE)
    message(FATAL_ERROR "${P_MODULE} not found (header ${P_HEADER}, library ${P_LIBRARY}): "
                        "scripts/install-deps.sh installs it")
  endif()
  add_library(PkgConfig::${var} INTERFACE IMPORTED GLOBAL)
  target_include_directories(PkgConfig::${var} INTERFACE ${${var}_HEADER_DIR})
  target_link_libraries(PkgConfig::${var} INTERFACE ${${var}_LIBRARY_FILE})
  message(STATUS "${P_MODULE}: ${${var}_LIBRARY_FILE} (no pkg-config entry)")
endfunction()
