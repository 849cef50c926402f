# Benchmarks: see benches/README.md.
.PHONY: bench
bench:
	$(CARGO) bench -p changegate-benches
