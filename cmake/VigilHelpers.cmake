# Shared helpers: warnings, sanitizers and the vigil_library()/vigil_test() wrappers.

set(VIGIL_WARNINGS -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)

if(VIGIL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
if(VIGIL_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# vigil_library(NAME SOURCES... DEPS ...) makes target vigil_<NAME> with src/ on the include path.
function(vigil_library name)
  cmake_parse_arguments(ARG "OBJECT" "" "SOURCES;DEPS" ${ARGN})
  if(ARG_OBJECT)
    add_library(vigil_${name} OBJECT ${ARG_SOURCES})
  else()
    add_library(vigil_${name} STATIC ${ARG_SOURCES})
  endif()
  target_include_directories(vigil_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(vigil_${name} PRIVATE ${VIGIL_WARNINGS})
  target_link_libraries(vigil_${name} PUBLIC ${ARG_DEPS})
endfunction()

# vigil_test(NAME SOURCES... DEPS ...) makes a GoogleTest binary registered with CTest.
# With NO_DISCOVERY the caller registers the binary's tests itself.
function(vigil_test name)
  cmake_parse_arguments(ARG "NO_DISCOVERY" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${VIGIL_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    VIGIL_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    VIGIL_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT ARG_NO_DISCOVERY)
    gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ENVIRONMENT "VIGIL_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  endif()
endfunction()
