"""Save a Sequential model to a .npz file and load it back (an extra: no lecture needs it).

The file holds the model's configuration (``Sequential.get_config()``, as JSON) next to its
weights (``get_params()``); the optimizer's state (velocities, moments) is not saved.
"""

import json
import os

import numpy as np

from nnscratch.activations import ACTIVATIONS
from nnscratch.layers import Dense
from nnscratch.losses import get_loss
from nnscratch.optimizers import OPTIMIZERS

# Layer classes by their class name, to rebuild a saved model.
LAYER_CLASSES = {"Dense": Dense, **{cls.__name__: cls for cls in ACTIVATIONS.values()}}


def set_params(model, params):
    """Copy values from a dict like model.get_params() returns into the model's own arrays."""
    own = model.params()
    missing = [n for n in own if n not in params]
    extra = [n for n in params if n not in own]
    if missing or extra:
        raise ValueError(f"set_params: missing {missing}, unexpected {extra}; expected the keys {list(own)}.")
    for name, p in own.items():
        value = np.asarray(params[name])
        if value.shape != p.shape:
            raise ValueError(f"set_params: {name} must have shape {p.shape}, got {value.shape}.")
        if not np.all(np.isfinite(value)):
            raise ValueError(f"set_params: {name} contains NaN or inf.")
        np.copyto(p, value, casting="same_kind")  # in place: the optimizer's state stays attached


def save_model(model, path):
    """Write ``model`` (a Sequential) to ``path`` (.npz); custom layers cannot be saved."""
    for layer in model.layers:
        if type(layer).__name__ not in LAYER_CLASSES:
            raise TypeError(f"cannot save a model with the custom layer {layer!r}.")
    np.savez(path, __config__=np.array(json.dumps(model.get_config())), **model.get_params())


def load_model(path, model_class):
    """Rebuild the model saved at ``path`` (".npz" may be left out) as a ``model_class``."""
    path = os.fspath(path)
    if not os.path.exists(path) and os.path.exists(path + ".npz"):
        path += ".npz"
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"no saved model at {path!r}; check the file name (models are saved as .npz)."
        )
    try:
        with np.load(path, allow_pickle=False) as data:
            config = json.loads(str(data["__config__"]))
            params = {k: data[k] for k in data.files if k != "__config__"}
        layers = []
        for spec in config["layers"]:
            spec = dict(spec)
            layer_class = LAYER_CLASSES[spec.pop("class")]
            if layer_class is Dense:
                spec["rng"] = np.random.default_rng(0)  # the weights are overwritten below
            layers.append(layer_class(**spec))
        optimizer_spec = dict(config["optimizer"])
        optimizer = OPTIMIZERS[optimizer_spec.pop("class").lower()](**optimizer_spec)
        loss = get_loss(config["loss"])
    except (KeyError, ValueError, TypeError, OSError) as err:
        raise ValueError(
            f"{path!r} is not a model saved by Sequential.save (or it is damaged): {err}"
        ) from err
    model = model_class(layers, loss, optimizer)
    model.set_params(params)
    return model
