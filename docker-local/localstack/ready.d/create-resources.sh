#!/usr/bin/env bash
# LocalStack init hook: the appdata bucket and a KMS key (alias/plinth) for encrypting values:
#   awslocal kms encrypt --key-id alias/plinth --plaintext "$(printf secret | base64)" \
#     --query CiphertextBlob --output text
set -euo pipefail
awslocal s3 mb s3://plinth-appdata
key=$(awslocal kms create-key --query KeyMetadata.KeyId --output text)
awslocal kms create-alias --alias-name alias/plinth --target-key-id "$key"
