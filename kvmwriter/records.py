"""``NamedTuple`` and ``TYPE_CHECKING`` without importing :mod:`typing` at run time,
and the base of the check path's plain records (:class:`Record`).

``kvmwriter check`` runs in every commit-msg hook, and importing typing
costs it about 3 ms, for nothing but the ``class Name(NamedTuple):``
syntax of its records and the ``TYPE_CHECKING`` flag.  Modules on the check
path therefore write::

    from kvmwriter.records import TYPE_CHECKING, NamedTuple

    if TYPE_CHECKING:
        from typing import Any

mypy reads :data:`NamedTuple` here as ``typing.NamedTuple`` and checks the
records' field types as usual, while the interpreter builds the same
classes with :func:`collections.namedtuple`, as ``typing.NamedTuple`` does:
the fields are the class's annotations (kept as written, strings under
``from __future__ import annotations``), a field with a value has that
default, and methods, properties and the docstring are copied onto the
tuple class.
"""

from __future__ import annotations

import collections

#: False when running; type checkers read any ``TYPE_CHECKING`` as true.
TYPE_CHECKING = False

#: Names a record may not define: collections.namedtuple defines them.
_PROHIBITED = frozenset(
    {
        "__new__",
        "__init__",
        "__slots__",
        "__getnewargs__",
        "_fields",
        "_field_defaults",
        "_make",
        "_replace",
        "_asdict",
        "_source",
    }
)
#: Names of the class body that are not copied onto the tuple class.
_SPECIAL = frozenset({"__module__", "__name__", "__annotations__", "__qualname__"})


class _NamedTupleMeta(type):
    """Turn a ``class Name(NamedTuple):`` statement into a named tuple class."""

    def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, object]):  # noqa: N804
        if namespace.get("_kvmwriter_root"):
            return super().__new__(mcls, name, bases, namespace)
        if bases != (NamedTuple,):
            raise TypeError(f"{name}: a record derives from NamedTuple alone")
        annotations = dict(namespace.get("__annotations__", {}))  # type: ignore[call-overload]
        fields = list(annotations)
        defaults = []
        for field in fields:
            if field in namespace:
                defaults.append(namespace[field])
            elif defaults:
                raise TypeError(f"{name}: field {field!r} without a default follows one with")
        module = str(namespace.get("__module__", __name__))
        record = collections.namedtuple(name, fields, defaults=defaults, module=module)  # type: ignore[misc]
        record.__annotations__ = annotations
        record.__qualname__ = str(namespace.get("__qualname__", name))
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError(f"{name}: cannot overwrite NamedTuple attribute {key}")
            if key in _SPECIAL or key in annotations:
                continue
            setattr(record, key, value)
        return record


if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:

    class NamedTuple(metaclass=_NamedTupleMeta):
        """Base of a record class; the class statement makes a named tuple."""

        _kvmwriter_root = True


class Record:
    """Base of a plain record with slots: the repr a dataclass would give.

    The fields are the class's own public slots, in order (``__dict__`` and
    ``_private`` slots are state, not fields).  A record class still writes
    its ``__slots__``, annotations and ``__init__``: those are what type
    checkers read, and they cost nothing to define.
    """

    __slots__ = ()
    #: The fields, worked out once per class.  Annotated for type checkers
    #: only: a run-time annotation would join the profile's typed fields.
    if TYPE_CHECKING:
        _record_fields: tuple[str, ...] = ()
    else:
        _record_fields = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        slots = cls.__dict__.get("__slots__", ())
        cls._record_fields = tuple(name for name in slots if not name.startswith("_"))

    def _record_values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._record_fields)

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._record_fields)
        return f"{type(self).__name__}({fields})"


class ValueRecord(Record):
    """A :class:`Record` equal to, and hashed as, the values of its fields."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self._record_values() == other._record_values()

    def __hash__(self) -> int:
        return hash(self._record_values())


__all__ = ["TYPE_CHECKING", "NamedTuple", "Record", "ValueRecord"]
