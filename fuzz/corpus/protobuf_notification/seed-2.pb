

g1m2alice smith ä¸­æ–‡"alice smith ä¸­æ–‡(0ÿ·ÿıÎ9