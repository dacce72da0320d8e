# tests/fuzz/xenstored/module.mk: libFuzzer target for xenstored's parser and
# request handling. `make fuzz-store-smoke` builds it with clang and runs it
# for 20 s from the seeds (part of TEST_PRE, so CI runs it before the tests).
FUZZ_STORE := $(B)/fuzz/xenstored-fuzz
FUZZ_STORE_SECONDS ?= 20

$(FUZZ_STORE): tests/fuzz/xenstored/fuzz_request.c $(XENSTORED_LIB_SRCS) $(wildcard dom0/xenstored/*.h)
	@mkdir -p $(@D)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Ixen/include -o $@ \
		tests/fuzz/xenstored/fuzz_request.c $(XENSTORED_LIB_SRCS)

.PHONY: fuzz-store-smoke
fuzz-store-smoke: $(FUZZ_STORE)
	@mkdir -p $(B)/fuzz/xenstored-corpus
	$(FUZZ_STORE) -max_total_time=$(FUZZ_STORE_SECONDS) -max_len=16384 -print_final_stats=1 \
		-artifact_prefix=$(B)/fuzz/ \
		$(B)/fuzz/xenstored-corpus tests/fuzz/xenstored/seeds

TEST_PRE += fuzz-store-smoke
