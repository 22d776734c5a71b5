"""Loads a Dojo export (safetensors) into the seed lesson's own PyTorch modules and predicts.

Usage: python3 export_roundtrip.py WEIGHTS.safetensors INSTANCES.json

Reads the file with nothing but the standard library, numpy and torch (the safetensors layout: an
8-byte little-endian header length, a JSON header, raw little-endian tensors), builds the module the
metadata names (WideNet or MiniCNN, defined below as the seed lesson defines them), loads the
weights with load_state_dict(strict=True), runs the instances through it, and prints one JSON object:
{"module": ..., "keys": [...], "outputs": [[...], ...]} where outputs are the network's outputs per
instance (for a classifier the softmax probabilities, as Dojo's predictions show them).
"""
import json
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


# --- The seed lesson's modules, as written there -------------------------------------------------

class WideNet(nn.Module):

    def __init__(self, n_cells=512): # Initialize our network
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(1, n_cells), # One input, n_cells outputs
            nn.Tanh(), # Our non-linearity - there are many on offer!
            nn.Linear(n_cells, 1), # n_cells inputs, one output
        )

    def forward(self, x):
        return self.layers(x)


class MiniCNN(nn.Module):
    def __init__(self):
        super(MiniCNN, self).__init__()
        self.conv1 = nn.Conv2d(1, 32, 3)
        self.conv2 = nn.Conv2d(32, 64, 3)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10) # 10 outputs (for 10 digits)
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        x = self.conv1(x)
        x = F.relu(x)
        x = self.conv2(x)
        x = F.relu(x)
        x = self.pool(x)
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.fc2(x)
        return x


# --- WideNet with other widths, depths and non-linearities: the same layout, layers.0, layers.2, … ---

ACTIVATIONS = {"tanh": nn.Tanh, "relu": nn.ReLU, "sigmoid": nn.Sigmoid}


class DeeperWideNet(WideNet):
    def __init__(self, inputs, hidden, activation, outputs):
        super().__init__()
        modules, width = [], inputs
        for units in hidden:
            modules += [nn.Linear(width, units), ACTIVATIONS[activation]()]
            width = units
        modules.append(nn.Linear(width, outputs))
        self.layers = nn.Sequential(*modules)


DTYPES = {"F32": np.float32}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).astype(np.float32))
    return tensors, metadata


def build(metadata, state):
    spec = json.loads(metadata["dojo.spec"])
    hp = spec["hyperparameters"]
    if metadata["dojo.module"] == "MiniCNN":
        return MiniCNN()
    hidden = hp["hiddenUnits"]
    if len(hidden) == 1 and hp.get("activation", "tanh") == "tanh" and spec["task"] == "sine-regression":
        return WideNet(n_cells=hidden[0])          # the seed's own class
    first = state["layers.0.weight"].shape[1]
    last = state["layers.%d.weight" % (2 * len(hidden))].shape[0]
    return DeeperWideNet(first, hidden, hp["activation"], last)


def main():
    state, metadata = read_safetensors(sys.argv[1])
    with open(sys.argv[2]) as f:
        instances = json.load(f)
    model = build(metadata, state)
    model.load_state_dict(state, strict=True)
    model.eval()
    shape = json.loads(metadata["dojo.input_shape"])
    x = torch.tensor(np.asarray(instances, dtype=np.float32)).reshape(shape)
    with torch.no_grad():
        out = model(x)
        if metadata["dojo.task"] != "sine-regression":
            out = F.softmax(out, dim=1)
    print(json.dumps({"module": type(model).__name__, "keys": list(model.state_dict().keys()),
                      "outputs": out.tolist()}))


if __name__ == "__main__":
    main()
