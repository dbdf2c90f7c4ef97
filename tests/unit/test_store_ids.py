"""Id lists travel to DuckDB as one JSON parameter and come back exactly."""

from __future__ import annotations

import duckdb

from newsgraph.store.ids import id_list


def test_ids_round_trip_through_duckdb() -> None:
    ids = ["doc-1", 'we,ird "id" [x]', "ünï/ç", "", "back\\slash"]
    con = duckdb.connect()
    sql = "SELECT list(x) FROM (SELECT unnest(?::JSON::VARCHAR[]) AS x)"
    got = con.execute(sql, [id_list(ids)]).fetchone()
    assert got is not None and got[0] == ids
    empty = con.execute("SELECT count(*) FROM (SELECT unnest(?::JSON::VARCHAR[]))", [id_list([])]).fetchone()
    assert empty == (0,)
