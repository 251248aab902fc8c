"""The whole-board simulator's parts; `Benchmarks/board_sim.py` is its command line."""
