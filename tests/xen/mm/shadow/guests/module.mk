# tests/xen/mm/shadow/guests/module.mk: riscv64 guests of the shadow suites.
$(eval $(call guest-prog,shadow-ptedit,tests/xen/mm/shadow/guests/ptedit_start.S tests/xen/mm/shadow/guests/ptedit_main.c,tests/xen/mm/shadow/guests/ptedit.lds))
