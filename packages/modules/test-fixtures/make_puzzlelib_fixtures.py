"""Writes the PuzzleLib-layout checkpoints that Puzzle's tests load (run with a Python that has h5py and numpy).

The writer below restates, in a few lines, what PuzzleLib's Module.save and Container.save do (Modules/Module.py,
Containers/Container.py in puzzlelib/PuzzleLib), so the files have exactly PuzzleLib's layout without needing a GPU
to run PuzzleLib itself:
- the file is opened with h5py at libver="earliest";
- every distinct variable becomes a gzip-compressed dataset "params/<index>", numbered in first-seen order;
- every "<module path>.<param>" becomes a scalar int64 dataset under "links" holding that index
  (the path is the root's name, "" when unnamed, then ".<child name>" per level);
- leaf attributes become gzip-compressed "attrs/<module path>.<attr>";
- every container creates the group "attrs.<container path>" holding its own attributes (uncompressed);
- with a blueprint, the JSON (indent 4, sorted keys) is a scalar variable-length string dataset "blueprint".

Parameter values follow value(k) = sin(0.37 k + seed) over the flat index k, so tests recompute them.

Usage: python3 make_puzzlelib_fixtures.py   (writes linear.hdf and sequential.hdf beside this script)
"""
import json, os

import h5py
import numpy as np


def values(shape, seed):
	k = np.arange(int(np.prod(shape)), dtype=np.float64)
	return np.sin(0.37 * k + seed).astype(np.float32).reshape(shape)


class Leaf:
	def __init__(self, name, vars=None, attrs=None):
		self.name, self.vars, self.attrs = name, vars or {}, attrs or {}


class Container:
	def __init__(self, name, children, attrs=None):
		self.name, self.children, self.attrs = name, children, attrs or {}


def save(hdf, mod, path, varlinks):
	if isinstance(mod, Container):
		for child in mod.children:
			save(hdf, child, "%s.%s" % (path, child.name), varlinks)

		group = hdf.require_group("attrs.%s" % path)
		for name, value in mod.attrs.items():
			group.create_dataset(name, data=value)
		return

	params, links = hdf.require_group("params"), hdf.require_group("links")
	for name, value in mod.vars.items():
		if id(value) not in varlinks:
			varlinks[id(value)] = len(varlinks)
			params.create_dataset(str(varlinks[id(value)]), data=value, compression="gzip")

		links["%s.%s" % (path, name)] = varlinks[id(value)]

	if len(mod.attrs) > 0:
		attrs = hdf.require_group("attrs")
		for name, value in mod.attrs.items():
			attrs.create_dataset("%s.%s" % (path, name), data=value, compression="gzip")


def write(filename, root, blueprint=None):
	with h5py.File(os.path.join(os.path.dirname(os.path.abspath(__file__)), filename), "w", libver="earliest") as hdf:
		save(hdf, root, root.name if root.name is not None else "", {})
		if blueprint is not None:
			hdf.create_dataset(
				"blueprint", (), dtype=h5py.special_dtype(vlen=str), data=json.dumps(blueprint, indent=4, sort_keys=True)
			)


def linearBlueprint(insize, outsize, name):
	return {
		"classname": "Linear",
		"scheme": {
			"insize": insize, "outsize": outsize, "wscale": 1.0, "useBias": True, "initscheme": None, "name": name,
			"empty": False, "transpose": False
		}
	}


def main():
	# An unnamed bare Linear(4, 3): links ".W" and ".b".
	write("linear.hdf", Leaf(None, vars={"W": values((4, 3), 1), "b": values((3, ), 2)}))

	# An unnamed Sequential: Linear(4, 3), relu, Sequential(Linear(3, 2)), and a leaf with a running-mean attribute
	# (as BatchNorm keeps one): links ".0.W", ".0.b", ".2.0.W", ".2.0.b"; attrs ".3.mean"; groups "attrs.", "attrs..2".
	root = Container(None, [
		Leaf("0", vars={"W": values((4, 3), 3), "b": values((3, ), 4)}),
		Leaf("1"),
		Container("2", [Leaf("0", vars={"W": values((3, 2), 5), "b": values((2, ), 6)})]),
		Leaf("3", attrs={"mean": values((2, ), 7)})
	])
	blueprint = {
		"classname": "Sequential", "scheme": {"name": None},
		"modules": {
			"0": linearBlueprint(4, 3, "0"),
			"1": {"classname": "Activation", "scheme": {"activation": "relu", "slc": None, "inplace": False, "name": "1", "args": []}},
			"2": {"classname": "Sequential", "scheme": {"name": "2"}, "modules": {"0": linearBlueprint(3, 2, "0")}},
			"3": {"classname": "Stats", "scheme": {"name": "3"}}
		}
	}
	write("sequential.hdf", root, blueprint)


if __name__ == "__main__":
	main()
