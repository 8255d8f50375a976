"""Writes optimizer checkpoints in PuzzleLib's layout for Puzzle's tests (needs a Python with h5py and numpy).

Restates what PuzzleLib's Optimizer.save (Optimizers/Optimizer.py in puzzlelib/PuzzleLib) writes, with the default
name "":
- group ".attrs": one scalar dataset per attribute, as h5py stores Python values (t: int64, floats: float64);
- group ".states": one uncompressed dataset "<state key>.<entity>" per state array. The state key is the variable's
  first var-table name in local mode ("W"), and str() of the numpy dtype type in global mode
  ("<class 'numpy.float32'>").

State values follow value(k) = cos(0.11 k + seed) over the flat index k, so tests recompute them.

Usage: python3 make_puzzlelib_fixtures.py   (writes nesterov-local.hdf and adam-global.hdf beside this script)
"""
import os

import h5py
import numpy as np


def values(shape, seed):
	k = np.arange(int(np.prod(shape)), dtype=np.float64)
	return np.cos(0.11 * k + seed).astype(np.float32).reshape(shape)


def write(filename, attrs, states):
	with h5py.File(os.path.join(os.path.dirname(os.path.abspath(__file__)), filename), "w", libver="earliest") as hdf:
		attrGrp = hdf.create_group(".attrs")
		for name, value in attrs.items():
			attrGrp.create_dataset(name, data=value)

		stateGrp = hdf.create_group(".states")
		for name, value in states.items():
			stateGrp.create_dataset(name, data=value)


def main():
	# NesterovSGD(learnRate=0.01, momRate=0.9) set up in local mode on a bare Linear(4, 3), after 7 updates.
	write(
		"nesterov-local.hdf", {"t": 7, "learnRate": 0.01, "momRate": 0.9},
		{"W.mom": values((4, 3), 1), "b.mom": values((3, ), 2)}
	)

	# Adam() in global mode on the model of modules/test-fixtures/sequential.hdf after 3 updates: variables sorted by
	# first name (".0.W" 12, ".0.b" 3, ".2.0.W" 6, ".2.0.b" 2 floats) in 16-byte aligned blocks: 12 + 4 + 8 + 4 = 28.
	alpha, beta1, beta2, t = 1e-3, 0.9, 0.999, 3
	write(
		"adam-global.hdf",
		{
			"t": t, "learnRate": alpha * np.sqrt(1 - beta2**t) / (1 - beta1**t),
			"alpha": alpha, "beta1": beta1, "beta2": beta2, "epsilon": 1e-8
		},
		{"<class 'numpy.float32'>.mg": values((28, ), 3), "<class 'numpy.float32'>.ms": values((28, ), 4)**2}
	)


if __name__ == "__main__":
	main()
