"""URL converter for database ids: a number outside 1..2**63-1 is no id, so the URL does not match (404)
instead of reaching the database (where it would overflow) or the access log."""

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("not a database id")
        return number

    def to_url(self, value: int) -> str:
        return str(int(value))
