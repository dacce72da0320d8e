#!/bin/sh
# bench-cpu.sh BUILD_DIR: run the CPU benchmark (bench-cpu.elf: Sv39 on,
# S-mode, 100M iterations of a 20-instruction load/store loop) on rvsim and,
# when qemu-system-riscv64 is installed, on QEMU's TCG (spike machine), and
# print MIPS for both and their ratio. Figures only: nothing is asserted.
#
# rvsim: instructions retired / host seconds, both from its --stats-json line.
# QEMU: the same instruction count (the program is deterministic: rvsim's
# instret of the full run minus that of the zero-iteration build), over the
# wall time of the full run minus that of the zero-iteration run (QEMU's own
# start-up and teardown); best of RUNS (default 5) runs each.
set -e
B=${1:?usage: bench-cpu.sh BUILD_DIR}
RVSIM=$B/bin/rvsim
FULL=$B/guest/bench-cpu.elf
EMPTY=$B/guest/bench-cpu-empty.elf
RUNS=${RUNS:-5}
QEMU=qemu-system-riscv64

# The value of "key":N in a JSON line.
stat() { printf '%s\n' "$2" | sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }
now() { date +%s.%N; }

echo "bench-cpu: Sv39 S-mode loop, 20 instructions x 100M iterations"
echo "bench-cpu: host $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (figures drop under load)"
echo "bench-cpu: rvsim ..."
best_rv=
for i in $(seq "$RUNS"); do
    js=$("$RVSIM" --stats-json "$FULL" 2>&1 >/dev/null | grep '^{')
    s=$(stat seconds "$js")
    if [ -z "$best_rv" ] || awk "BEGIN{exit !($s < $best_rv)}"; then best_rv=$s; fi
done
instret=$(stat instret "$js")
hits=$(stat tlb_hits "$js")
misses=$(stat tlb_misses "$js")
empty_instret=$(stat instret "$("$RVSIM" --stats-json "$EMPTY" 2>&1 >/dev/null | grep '^{')")
rv_mips=$(awk "BEGIN{printf \"%.0f\", $instret / $best_rv / 1e6}")
printf 'bench-cpu: rvsim  %12s instructions  %8.3f s  %6s MIPS  (tlb hits %s, misses %s)\n' \
    "$instret" "$best_rv" "$rv_mips" "$hits" "$misses"

if ! command -v "$QEMU" >/dev/null 2>&1; then
    echo "bench-cpu: $QEMU not installed (Debian: qemu-system-misc); no comparison"
    exit 0
fi

# Wall time of one QEMU run of $1; fails if the program does not pass.
qemu_wall() {
    t0=$(now)
    "$QEMU" -machine spike -bios none -nographic -kernel "$1" </dev/null >/dev/null
    t1=$(now)
    awk "BEGIN{printf \"%.6f\", $t1 - $t0}"
}
echo "bench-cpu: $QEMU -machine spike ..."
best_full=; best_empty=
for i in $(seq "$RUNS"); do
    f=$(qemu_wall "$FULL")
    e=$(qemu_wall "$EMPTY")
    if [ -z "$best_full" ] || awk "BEGIN{exit !($f < $best_full)}"; then best_full=$f; fi
    if [ -z "$best_empty" ] || awk "BEGIN{exit !($e < $best_empty)}"; then best_empty=$e; fi
done
q_instr=$((instret - empty_instret))
q_secs=$(awk "BEGIN{printf \"%.6f\", $best_full - $best_empty}")
q_mips=$(awk "BEGIN{printf \"%.0f\", $q_instr / $q_secs / 1e6}")
printf 'bench-cpu: qemu   %12s instructions  %8.3f s  %6s MIPS  (wall %.3f s - start-up %.3f s)\n' \
    "$q_instr" "$q_secs" "$q_mips" "$best_full" "$best_empty"
echo
printf '%-28s %10s %10s\n' "" "rvsim" "qemu-tcg"
printf '%-28s %10s %10s\n' "MIPS" "$rv_mips" "$q_mips"
awk "BEGIN{printf \"%-28s %10.2fx (rvsim / qemu; qemu is %.1fx faster)\n\", \"ratio\", $rv_mips / $q_mips, $q_mips / $rv_mips}"
