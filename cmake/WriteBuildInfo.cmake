# Run at every build (cmake -P): regenerates build_info.cpp only when its content changes,
# so an unchanged tree recompiles nothing.
execute_process(COMMAND git -C ${SRC} rev-parse HEAD OUTPUT_VARIABLE HECTO_GIT_COMMIT
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR HECTO_GIT_COMMIT STREQUAL "")
  set(HECTO_GIT_COMMIT "unknown")
endif()
execute_process(COMMAND git -C ${SRC} status --porcelain --untracked-files=no
                OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(dirty STREQUAL "")
  set(HECTO_GIT_DIRTY false)
else()
  set(HECTO_GIT_DIRTY true)
endif()
configure_file(${SRC}/cmake/build_info.cpp.in ${OUT} @ONLY)
