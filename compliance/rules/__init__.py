"""The GCIII rule catalogue (see ../shared/LAW.md). Each module registers its rules when imported.

`compliance.apps.ComplianceConfig.ready()` imports this package. To add a rule module, create it here
(one module per article area, e.g. `art122.py`) and add it to the import below.
"""

from . import art5, art13, art17, art17_identity, art22, art31, art41, art70, art118, art122, art126, api77, art109, art12, art19, art18, art30  # noqa: F401
