"""The one exception type the library raises for problems a user can fix.

Its message is complete and meant to be shown as is: the CLI prints it on one line and
exits with an error code, the web app turns it into a 400 page or a JSON error.
"""


class SearchError(Exception):
    pass


class DumpError(SearchError):
    """A dump that cannot be read: names the file and the reason."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
