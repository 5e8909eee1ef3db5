# Writes a .cc defining `const char NAME[]` in NAMESPACE (default vigil::rules) with the contents
# of INPUT (run with cmake -P).
file(READ "${INPUT}" content)
if(NOT NAMESPACE)
  set(NAMESPACE "vigil::rules")
endif()
set(delim "vigil_embed_")
file(WRITE "${OUTPUT}" "namespace ${NAMESPACE} {\nextern const char ${NAME}[];\nconst char ${NAME}[] = R\"${delim}(${content})${delim}\";\n}  // namespace ${NAMESPACE}\n")
