[#ftl]
[#-- Stand-ins for the codeontap/hamlet engine's container fragment API, just enough to render
     devops/codeontap/container_{containerid}.ftl and inspect what it adds to the context. --]

[#function asFlattenedArray values]
    [#local result = [] ]
    [#list values as value]
        [#if value?is_sequence]
            [#local result += asFlattenedArray(value) ]
        [#else]
            [#local result += [value] ]
        [/#if]
    [/#list]
    [#return result]
[/#function]

[#function getDescendent object default path]
    [#local current = object ]
    [#list path as key]
        [#if current?is_hash && current[key]??]
            [#local current = current[key] ]
        [#else]
            [#return default]
        [/#if]
    [/#list]
    [#return current]
[/#function]

[#macro Attributes name="" image="" version="" essential=true]
    [#assign context += { "Image" : image, "Essential" : essential } ]
[/#macro]

[#macro Variable name value]
    [#assign context += { "Environment" : (context.Environment!{}) + { name : value } } ]
[/#macro]

[#macro Setting name]
    [#if appSettingsObject[name]??]
        [@Variable name=name value=appSettingsObject[name] /]
    [/#if]
[/#macro]

[#macro Settings settings...]
    [#list asFlattenedArray(settings) as setting]
        [#if setting?is_string]
            [@Setting name=setting /]
        [#else]
            [#list setting as key, value]
                [@Variable name=key value=value /]
            [/#list]
        [/#if]
    [/#list]
[/#macro]

[#macro Variables variables...]
    [@Settings variables /]
[/#macro]

[#macro Credential path id="" secret="" idAttribute="Username" secretAttribute="Password"]
    [#if id?has_content]
        [@Variable name=id
            value=getDescendent(credentialsObject, "ERROR: Missing credential id", path?split(".") + [idAttribute]) /]
    [/#if]
    [#if secret?has_content]
        [@Variable name=secret
            value=getDescendent(credentialsObject, "ERROR: Missing credential secret", path?split(".") + [secretAttribute]) /]
    [/#if]
[/#macro]

[#macro Policy statements...]
    [#assign context += { "Policy" : (context.Policy![]) + asFlattenedArray(statements) } ]
[/#macro]

[#function formatSegmentCMKId]
    [#return "cmkXsegmentXcmk"]
[/#function]

[#function getAppDataFilePrefix]
    [#return appDataPrefix]
[/#function]

[#function cmkDecryptPermission id]
    [#return [ { "Effect" : "Allow", "Action" : [ "kms:Decrypt" ], "Resource" : "ref:" + id } ] ]
[/#function]

[#function s3AllPermission bucket prefix]
    [#return [ { "Effect" : "Allow", "Action" : [ "s3:*" ],
                 "Resource" : "arn:aws:s3:::" + bucket + "/" + prefix + "*" } ] ]
[/#function]
