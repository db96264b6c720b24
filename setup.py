from setuptools import find_packages, setup

# The distributed engine (search.cluster) talks SphinxQL to searchd through pymysql.
CLUSTER = ["pymysql>=1.0", "tomli>=1.1; python_version < '3.11'"]

setup(
    name="news-search",
    version="0.1.0",
    description="Full-text search for Chinese regional newspaper dumps (jieba-rs + Whoosh)",
    python_requires=">=3.9",
    packages=find_packages(include=["search", "search.*", "web", "web.*"]),
    package_data={"search": ["data/*.txt", "data/*.tsv"],
                  "web": ["templates/*.html", "static/*"]},
    install_requires=[
        "rjieba>=0.2.2,<0.3",        # its cuts are the index terms: a new dictionary needs a rebuild
        "Whoosh-Reloaded==2.7.5",     # we write and read its segment format directly
        "opencc>=1.1.6",
        "click>=8.0",
        "numpy>=1.22",
        "Flask>=2.2",
        "waitress>=2.1",
        "pypinyin>=0.50",             # “did you mean” by sound; imported only when suggesting
    ],
    extras_require={
        "test": ["pytest>=7", "hypothesis>=6.50", "playwright>=1.40", "jieba>=0.42.1", *CLUSTER],
        "bench": ["jieba>=0.42.1", *CLUSTER],
        "cluster": CLUSTER,
    },
    entry_points={
        "console_scripts": [
            "search=search.cli:search_main",
            "search-index=search.cli:index_main",
            "search-web=web.cli:main",
            "search-cluster=search.cluster.cli:main",
        ],
    },
)
