# hecto_module(NAME SOURCES... DEPS...) : one static library per module folder.
function(hecto_module name)
  cmake_parse_arguments(M "TORCH" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${M_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${M_DEPS})
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(M_TORCH)
    target_link_libraries(${name} PUBLIC torch)
    # <torch/torch.h> costs ~10 s per translation unit; one shared precompiled header brings it to ~3 s.
    if(TARGET hecto_torch_pch)
      target_precompile_headers(${name} REUSE_FROM hecto_torch_pch)
    endif()
  endif()
endfunction()

# A tiny library whose only job is to own the torch precompiled header others reuse (not in the
# fuzz build, which has no torch).
if(TARGET torch)
  add_library(hecto_torch_pch STATIC ${PROJECT_SOURCE_DIR}/cmake/torch_pch.cpp)
  target_link_libraries(hecto_torch_pch PUBLIC torch)
  target_compile_options(hecto_torch_pch PRIVATE -Wall -Wextra -Wno-unused-parameter)
  target_precompile_headers(hecto_torch_pch PRIVATE <torch/torch.h>)
endif()
