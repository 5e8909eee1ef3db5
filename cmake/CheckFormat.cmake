# Fails when a C++ source is not formatted as .clang-format says (run with cmake -P).
file(GLOB_RECURSE sources ${SOURCE_DIR}/src/*.cc ${SOURCE_DIR}/src/*.h ${SOURCE_DIR}/tests/*.cc
     ${SOURCE_DIR}/bench/*.cc ${SOURCE_DIR}/fuzz/*.cc ${SOURCE_DIR}/fuzz/*.h)
execute_process(COMMAND ${CLANG_FORMAT} --dry-run -Werror ${sources} RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Files need formatting; run: clang-format -i $(git ls-files '*.cc' '*.h')\n${err}")
endif()
