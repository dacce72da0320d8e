#!/bin/sh
# gen-userprogs.sh DIR PROG...: prints the assembly that links the user
# programs DIR/PROG.elf into the kernel image, with one {name, start, end}
# record per program in .rodata.progtab (read by programs.c).
dir=$1
shift
for p in "$@"; do
    cat <<EOS
    .section .rodata.progdata, "a"
    .balign 16
prog_${p}_start:
    .incbin "${dir}/${p}.elf"
prog_${p}_end:
    .section .rodata.progname, "a"
prog_${p}_name:
    .asciz "${p}"
    .section .rodata.progtab, "a"
    .balign 8
    .dword prog_${p}_name, prog_${p}_start, prog_${p}_end
EOS
done
