FROM quay.io/jupyter/scipy-notebook:2024-10-21
USER root
RUN apt-get update && apt-get install -y --no-install-recommends graphviz && rm -rf /var/lib/apt/lists/*
USER ${NB_UID}
COPY --chown=${NB_UID}:${NB_GID} requirements.txt /tmp/
RUN pip install --no-cache-dir -r /tmp/requirements.txt && fix-permissions "${CONDA_DIR}"
ENV JUPYTER_ENABLE_LAB=yes JUPYTER_TOKEN_FILE=/run/secrets/jupyter_token
