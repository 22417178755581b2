"""Pickle the import's dataclasses by the fields that differ from their defaults (`import iati --jobs`).

A reader process sends each activity as a Raw record with a slim Activity (8 of its 33 fields set) and
its Plan. Pickled as dataclasses, every field goes along with its name (24 empty lists and dicts per
slim Activity), and unpickling builds each object through copyreg: the Activities alone took half of
the pickling and unpickling time of a batch. `reduce(obj)` sends the class and the fields that are not
at their default, and `restore` rebuilds the object through its own `__init__` (the defaults are fresh
values, as always), so the object received equals the one sent.
"""

import dataclasses

_MISSING = object()
_defaults: dict[type, dict] = {}


def _defaults_of(cls: type) -> dict:
    """Return {field name: default value or _MISSING} of a dataclass (a factory's value, made once, to compare)."""
    result = {}
    for f in dataclasses.fields(cls):
        if not f.init:  # set after __init__, with the attributes that are no fields
            continue
        if f.default is not dataclasses.MISSING:
            result[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            result[f.name] = f.default_factory()
        else:
            result[f.name] = _MISSING
    return result


def reduce(obj) -> tuple:
    """Return what `pickle` needs to rebuild a dataclass instance from its non-default fields (`__reduce__`).

    Attributes that are not fields of the class are set after `__init__`.
    """
    cls = type(obj)
    defaults = _defaults.get(cls)
    if defaults is None:
        defaults = _defaults[cls] = _defaults_of(cls)
    values, extra = {}, None
    for name, value in obj.__dict__.items():
        default = defaults.get(name, _MISSING)
        if name not in defaults:
            extra = extra or {}
            extra[name] = value
        elif default is _MISSING or not (value is default or (type(value) is type(default) and value == default)):
            values[name] = value
    return (restore, (cls, values, extra) if extra else (cls, values))


def restore(cls: type, values: dict, extra: dict | None = None):
    """Rebuild what `reduce` sent."""
    obj = cls(**values)
    if extra:
        obj.__dict__.update(extra)
    return obj
