# Include roots of one stage each, so that a target sees only the headers of
# the stages it links. Includes stay spelled "stage/file.h"; instead of one
# root (src/) for everyone, each stage has a root of its own under
# ${CMAKE_BINARY_DIR}/stage_include holding one link, stage -> src/stage, and
# exposes it to what links the stage. `#include "other/x.h"` of a stage a
# target does not link is then not found and the build fails there.

# soundlens_stage_link(ROOT NAME SOURCE): the entry NAME (a path such as
# "model/tflite" or "analysis/analysis_values.h") of the include root ROOT is a
# link to SOURCE. Returns the root's directory in ${ROOT}_INCLUDE_ROOT.
function(soundlens_stage_link root name source)
  set(dir ${CMAKE_BINARY_DIR}/stage_include/${root})
  get_filename_component(parent ${dir}/${name} DIRECTORY)
  file(MAKE_DIRECTORY ${parent})
  file(CREATE_LINK ${source} ${dir}/${name} SYMBOLIC)
  set(${root}_INCLUDE_ROOT ${dir} PARENT_SCOPE)
endfunction()

# soundlens_stage_root(ROOT NAME SOURCE): a fresh root holding only NAME -> SOURCE
# (a root rebuilt at each configure forgets entries that were dropped).
function(soundlens_stage_root root name source)
  file(REMOVE_RECURSE ${CMAKE_BINARY_DIR}/stage_include/${root})
  soundlens_stage_link(${root} ${name} ${source})
  set(${root}_INCLUDE_ROOT ${${root}_INCLUDE_ROOT} PARENT_SCOPE)
endfunction()
