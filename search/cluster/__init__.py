"""The archive on a cluster of searchd processes (Sphinx 2.2 here, Manticore in production).

config (cluster.toml) → daemons (searchd processes on this machine) ; sharding (which shard
holds a dump, Sphinx ids) ; layout (a shard's index) ; tokens (our terms as ASCII tokens) ;
connection (SphinxQL through pymysql, imported only here).
"""
