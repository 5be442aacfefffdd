"""Per-member permissions (spec 3.7) and what each role starts with."""

from __future__ import annotations

PERMISSIONS = (
    "canManageUsers",
    "canManageWhatsApp",
    "canViewReports",
    "canManageFlows",
    "canManageContacts",
    "canManagePrompt",
)

_DEFAULTS: dict[str, set[str]] = {
    "admin": set(PERMISSIONS),
    "coordinator": {
        "canManageWhatsApp",
        "canViewReports",
        "canManageFlows",
        "canManageContacts",
        "canManagePrompt",
    },
    "member": {"canManageContacts"},
}


def default_permissions(role: str) -> dict[str, bool]:
    granted = _DEFAULTS.get(role, set())
    return {name: name in granted for name in PERMISSIONS}


def merged_permissions(role: str, overrides: dict[str, bool] | None) -> dict[str, bool]:
    """Admins always hold every permission; others get their role's defaults plus explicit overrides."""
    permissions = default_permissions(role)
    if role != "admin" and overrides:
        permissions.update({k: bool(v) for k, v in overrides.items() if k in PERMISSIONS})
    return permissions
