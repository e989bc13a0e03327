"""Production storage of the static files: WhiteNoise's hashed, compressed copies.

Django rewrites the source-map comments of CSS and JS files to the maps' hashed names, and
refuses to collect a file whose map is missing. The vendored bundles (canbo/static/vendor)
name maps that are not shipped with them, so those comments are left as they are: a map is a
developer's aid, and a missing one costs nothing but a 404 in the browser's developer tools.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


def _without_source_maps(patterns):
    return tuple(
        (extension, tuple(p for p in rules if "sourceMappingURL" not in (p if isinstance(p, str) else p[0])))
        for extension, rules in patterns
    )


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = _without_source_maps(CompressedManifestStaticFilesStorage.patterns)
