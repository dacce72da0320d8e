# xen/arch/riscv/module.mk: the virtual RISC-V hart (libhart.a).
HART_SRCS := $(addprefix xen/arch/riscv/,pt_formats.c cost_model.c decode.c csr.c trap.c \
             mmu.c tlb.c mem.c hart.c exec.c)
$(eval $(call host-lib,hart,$(HART_SRCS)))
