"""canbo: the working system of an Organization Committee (Ban Tổ chức) for cadre work."""
