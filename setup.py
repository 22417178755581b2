"""Declares the optional C extension `pledgewatch.iati._tree`; everything else is in pyproject.toml.

The extension reads lxml's element structs through lxml's public C header, so lxml is a build
requirement (pyproject.toml [build-system]). When it does not compile, the install goes on without it
and `pledgewatch.iati.tree` uses its pure-Python builder (same results, slower).
"""

from setuptools import Extension, setup


def _include_dirs() -> list[str]:
    try:
        import lxml
    except ImportError:  # no lxml at build time: the optional extension fails, the package still installs
        return []
    return lxml.get_include()


setup(ext_modules=[Extension("pledgewatch.iati._tree", ["pledgewatch/iati/_tree.c"],
                             include_dirs=_include_dirs(), optional=True)])
