"""The GCIII rule catalogue (see ../shared/LAW.md). Each module registers its rules when imported.

`compliance.apps.ComplianceConfig.ready()` imports this package. To add a rule module, create it here
(one module per article area, e.g. `art122.py`) and add it to the import below.
"""

from . import (  # noqa: F401  (each module registers its rules)
    api77,
    art5,
    art12,
    art13,
    art17,
    art17_identity,
    art18,
    art19,
    art22,
    art30,
    art31,
    art41,
    art70,
    art109,
    art118,
    art122,
    art126,
)
