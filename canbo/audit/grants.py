"""The application's PostgreSQL role: least privilege, so that the running application cannot
rewrite the audit trail even if it is compromised.

Two roles: the owner, which owns the schema, runs `canbo migrate` and this grant; and the
application role, which owns nothing and may only read and write rows. On the audit tables
(events and chain links) it may only SELECT and INSERT: UPDATE, DELETE and TRUNCATE are not
granted, and ALTER TABLE … DISABLE TRIGGER needs ownership. On django_migrations it may only
read. Run again after every `canbo migrate` (new tables get their grants then).
"""

import re

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils.translation import gettext as _

from .models import AuditEvent, AuditLink

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
AUDIT_TABLES = (AuditEvent._meta.db_table, AuditLink._meta.db_table)
READ_ONLY_TABLES = ("django_migrations",)


class GrantError(Exception):
    """The grant cannot be made as asked (wrong database, role name, or the role owns objects)."""


def _memberships(cursor, role: str) -> list[str]:
    """The roles `role` belongs to: through any of them it could SET ROLE to an owner."""
    cursor.execute(
        """
        SELECT g.rolname FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
        WHERE u.rolname = %s ORDER BY 1
        """,
        [role],
    )
    return [row[0] for row in cursor.fetchall()]


def _owned_objects(cursor, role: str) -> list[str]:
    cursor.execute(
        """
        SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = %s
        UNION ALL SELECT n.nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner WHERE r.rolname = %s
        UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner WHERE r.rolname = %s
        UNION ALL SELECT d.datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba WHERE r.rolname = %s
        ORDER BY 1 LIMIT 20
        """,
        [role] * 4,
    )
    return [row[0] for row in cursor.fetchall()]


def grant_application_role(role: str, *, password: str | None = None, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Create (if missing) and grant the application role; idempotent. Run as the owner."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise GrantError(_("dbgrants chỉ dùng cho PostgreSQL; cơ sở dữ liệu đang dùng là %(vendor)s.")
                         % {"vendor": connection.vendor})  # fmt: skip
    if not ROLE_NAME.fullmatch(role):
        raise GrantError(_("Tên vai trò «%(role)s» không hợp lệ: chỉ chữ thường không dấu, chữ số và dấu gạch dưới.")
                         % {"role": role})  # fmt: skip
    from psycopg import sql

    ident = sql.Identifier(role)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: sql.Composed statements

        cursor.execute("SELECT current_user, current_database(), current_schema()")
        owner, database, schema = cursor.fetchone()
        if role == owner:
            raise GrantError(_("Vai trò «%(role)s» là vai trò chủ sở hữu đang chạy lệnh; ứng dụng cần một vai trò khác.")
                             % {"role": role})  # fmt: skip
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        existing = cursor.fetchone()
        if existing and existing[0]:
            raise GrantError(_("Vai trò «%(role)s» là superuser; ứng dụng cần một vai trò thường.") % {"role": role})
        owned = _owned_objects(cursor, role)
        if owned:
            raise GrantError(_("Vai trò «%(role)s» đang sở hữu: %(objects)s. Vai trò của ứng dụng không được sở hữu gì.")
                             % {"role": role, "objects": ", ".join(owned)})  # fmt: skip
        groups = _memberships(cursor, role)
        if groups:
            raise GrantError(_("Vai trò «%(role)s» là thành viên của: %(groups)s. Vai trò của ứng dụng không được thuộc vai trò nào.")
                             % {"role": role, "groups": ", ".join(groups)})  # fmt: skip
        attributes = sql.SQL("LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS")
        if password:
            attributes = sql.SQL("{} PASSWORD {}").format(attributes, sql.Literal(password))
        verb = sql.SQL("ALTER ROLE" if existing else "CREATE ROLE")
        raw.execute(sql.SQL("{} {} {}").format(verb, ident, attributes))

        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
        tables = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = current_schema() ORDER BY 1"
        )
        sequences = [row[0] for row in cursor.fetchall()]
        schema_ident = sql.Identifier(schema)
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), ident),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_ident, ident),
            sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(schema_ident, ident),
            # From a clean slate every time: nothing granted earlier by hand survives.
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema_ident, ident),
            sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema_ident, ident),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {} TO {}").format(schema_ident, ident),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema_ident, ident),
        ]
        audit = [t for t in AUDIT_TABLES if t in tables]
        for table in audit:
            # PUBLIC too: a grant to everyone would reach the application role.
            statements.append(sql.SQL("REVOKE ALL ON {} FROM {}, PUBLIC").format(sql.Identifier(table), ident))
            statements.append(sql.SQL("GRANT SELECT, INSERT ON {} TO {}").format(sql.Identifier(table), ident))
        for table in (t for t in READ_ONLY_TABLES if t in tables):
            statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(sql.Identifier(table), ident))
            statements.append(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table), ident))
        for statement in statements:
            raw.execute(statement)
    return {
        "role": role,
        "created": not existing,
        "password_set": bool(password),
        "owner": owner,
        "database": database,
        "schema": schema,
        "tables": len(tables),
        "sequences": len(sequences),
        "audit_tables": audit,
        "read_only_tables": [t for t in READ_ONLY_TABLES if t in tables],
    }


def table_privileges(role: str, table: str, *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The privileges `role` holds on `table` (to check a grant)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            """
            SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) AS p
            WHERE has_table_privilege(%s, %s, p) ORDER BY p
            """,
            [role, table],
        )
        return [row[0] for row in cursor.fetchall()]
