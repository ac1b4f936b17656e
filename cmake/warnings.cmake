# Warning flags for the project's own targets (c-style.md section 10).
function(bstep_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wstrict-prototypes -Wshadow
                                           -Wdouble-promotion -Wformat=2 -Wvla)
  if(BSTEP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
