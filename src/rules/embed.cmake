# Writes a .cc defining `const char NAME[]` with the contents of INPUT (run with cmake -P).
file(READ "${INPUT}" content)
set(delim "vigil_embed_")
file(WRITE "${OUTPUT}" "namespace vigil::rules {\nextern const char ${NAME}[];\nconst char ${NAME}[] = R\"${delim}(${content})${delim}\";\n}  // namespace vigil::rules\n")
