[#-- Plinth: one image, four modes, as a codeontap/hamlet container fragment.
     Copy to the product's solution fragments as container_<id>.ftl and replace {containerid}
     with the container id used in the solution. Give each mode its own container, e.g.
     "{containerid}-web", "{containerid}-worker", "{containerid}-beat", "{containerid}-task": the
     engine derives the mode (context.Mode) from the suffix; no suffix means WEB.
     Secrets come from the credentials store as KMS ciphertext (base64) and are passed as they
     are: Plinth decrypts every variable with KMS at start-up (docs/environment.md).
     The load balancer's health check path in the solution should be /__lbheartbeat__. --]
[#case "{containerid}"]
[#case "{containerid}-web"]
[#case "{containerid}-worker"]
[#case "{containerid}-beat"]
[#case "{containerid}-task"]
    [#assign plinthMode = (context.Mode!"WEB")?upper_case ]

    [@Attributes image="plinth" /]

    [#-- The contract (docs/environment.md); integrations switch on by their first variable. --]
    [@Variables
        {
            "APP_RUN_MODE" : plinthMode,
            "PORT" : "8000",
            "APP_DEBUG" : "false",
            "AWS_REGION" : regionId,
            "APPDATA_BUCKET" : dataBucket,
            "APPDATA_PREFIX" : getAppDataFilePrefix()
        } /]
    [@Settings
        [
            "APP_WORKER_COUNT",
            "DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME",
            "RABBITMQ_HOST", "RABBITMQ_PORT", "RABBITMQ_VHOST",
            "SESSION_REDIS_HOST", "SESSION_REDIS_PORT", "SESSION_REDIS_DB",
            "CACHE_REDIS_HOST", "CACHE_REDIS_PORT", "CACHE_REDIS_DB",
            "SENTRY_DSN"
        ] /]
    [#if plinthMode == "TASK"]
        [@Settings ["APP_TASK_LIST"] /]
    [/#if]

    [#-- Secrets: KMS ciphertext from the credentials store, never plaintext in the model. --]
    [@Credential path="plinth.App" secret="APP_SECRET_KEY" secretAttribute="SecretKey" /]
    [@Credential path="plinth.Database" id="DATABASE_USERNAME" secret="DATABASE_PASSWORD" /]
    [@Credential path="plinth.RabbitMQ" id="RABBITMQ_USERNAME" secret="RABBITMQ_PASSWORD" /]

    [#-- Decrypt those values, and read/write appdata under this component's prefix. --]
    [@Policy
        cmkDecryptPermission(formatSegmentCMKId())
        s3AllPermission(dataBucket, getAppDataFilePrefix())
    /]

    [#-- Every long-running mode answers /__lbheartbeat__ on $PORT (the image has no curl:
         http-probe.sh speaks HTTP with bash). TASK runs to completion: no health check. --]
    [#if plinthMode != "TASK" && (containerListMode!"") == "model"]
        [#assign context +=
            {
                "HealthCheck" : {
                    "Command" : [ "CMD", "/app/bin/http-probe.sh", "/__lbheartbeat__" ],
                    "Interval" : 10,
                    "Timeout" : 5,
                    "Retries" : 3,
                    "StartPeriod" : 60
                }
            } ]
    [/#if]
    [#break]
