FROM python:3.12 AS py
# A script for another interpreter is not analysed.
# want info "RUN uses secrets and part of it is not checked for secret writes: script for python3"
RUN --mount=type=secret,id=hf_token,env=HF_TOKEN <<EOF
#!/usr/bin/env python3
import os
print(len(os.environ["HF_TOKEN"]))
EOF
# Text built at run time.
# want info "part of it is not checked for secret writes: eval of text built at run time"
RUN --mount=type=secret,id=t CMD="$(cat /build/cmd)"; eval "$CMD"
# Without secrets, nothing to say.
RUN CMD="$(cat /build/cmd)"; eval "$CMD"

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win
SHELL ["powershell", "-Command"]
# want info "RUN uses secrets but is not checked for secret writes: SHELL powershell is not a POSIX shell"
RUN --mount=type=secret,id=t Get-Content C:\run\secrets\t | Out-File C:\token.txt
RUN Write-Host hello
