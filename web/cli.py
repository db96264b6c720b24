"""`search-web`: serve the web app with waitress."""
import logging

import click

CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (0.0.0.0 for every interface).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--index", "index_dir", default=None, help="Index folder [env NEWS_INDEX_DIR, default ./index].")
@click.option("--cluster", "cluster_file", default=None, metavar="FILE",
              help="Serve a cluster (its cluster.toml: see search-cluster) instead [env NEWS_CLUSTER].")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256), help="Worker threads.")
@click.option("--base-url", metavar="URL", help="The site's public address (https://news.example.org), for absolute "
                                               "URLs; by default redirects are relative and the Host header is never used.")
def serve(host, port, index_dir, cluster_file, threads, base_url):
    """Serve the newspaper search site.

    \b
    Example:
        search-web --port 8000 --index index     # then open http://127.0.0.1:8000/
    Without an index at the default location (env NEWS_INDEX_DIR or ./index), it is built
    first from the dumps folder (env NEWS_DUMPS_DIR or ./seeds); an --index is not built.
    An index that cannot be read stops it (exit code 2).
    """
    import waitress

    from search.cli import fail

    from . import create_app, redirects
    try:
        base_url = redirects.check_base_url(base_url)
    except ValueError as e:
        raise click.ClickException(str(e))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    if index_dir and cluster_file:
        raise click.ClickException("give --index or --cluster, not both")
    app = create_app(index_dir, {"BASE_URL": base_url, "CLUSTER": cluster_file})
    archive = app.extensions["archive"]
    if archive.problem:          # a damaged index, an --index that does not exist: say so and stop
        fail(str(archive.problem))
    try:                         # bind first: say "serving" only once the port is ours
        server = waitress.create_server(app, host=host, port=port, threads=threads)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}; try another --port")
    click.echo(f"serving {archive.cluster_file or archive.index_dir} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    server.run()                 # until Ctrl-C


def main():
    serve(prog_name="search-web")
