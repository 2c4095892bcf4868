# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN <<EOF
#!/usr/bin/env python3
import json, pathlib
cfg = {"workers": 4, "bind": "0.0.0.0:8000"}
pathlib.Path("/etc/gunicorn.json").write_text(json.dumps(cfg))
EOF
RUN python3 <<PY
print("building")
PY
CMD ["python3", "-m", "http.server"]
