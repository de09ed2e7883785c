# Writes OUT (a C++ source with the git commit the program is built from) only
# when its text changes, so a new commit relinks the program without
# recompiling anything else. Run at every build by the build_info target.
execute_process(COMMAND git -C "${SRC}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
if(failed OR commit STREQUAL "")
  set(commit "unknown")
endif()
execute_process(COMMAND git -C "${SRC}" status --porcelain --untracked-files=no
                OUTPUT_VARIABLE changes ERROR_QUIET)
if(NOT commit STREQUAL "unknown" AND NOT changes STREQUAL "")
  set(commit "${commit}-modified")
endif()
file(WRITE "${OUT}.new" "#include \"core/build_info.h\"\nnamespace soundlens {\nconst char* build_commit() { return \"${commit}\"; }\n}\n")
file(COPY_FILE "${OUT}.new" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.new")
