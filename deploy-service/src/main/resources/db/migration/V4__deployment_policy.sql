-- Deployment policies (admission): per scope service/environment ('*' = any), every change a new version with who,
-- when and why. The policy in force is the latest version of the most specific scope; none means always open.
CREATE TABLE deployment_policy (
    id          bigserial     PRIMARY KEY,
    service     varchar(100)  NOT NULL,
    environment varchar(100)  NOT NULL,
    version     integer       NOT NULL,
    rules       text          NOT NULL,
    changed_by  varchar(200)  NOT NULL,
    changed_at  timestamptz   NOT NULL,
    reason      varchar(2000) NOT NULL,
    CONSTRAINT deployment_policy_version UNIQUE (service, environment, version)
);

-- An operator's override of the admission rules, recorded on the deployment it let start.
ALTER TABLE deployment ADD COLUMN override_reason varchar(2000);
ALTER TABLE deployment ADD COLUMN overridden      varchar(4000);

-- The monitor's figures the report needs: each analysis step's (seq = step index; a re-run after a step back is
-- another row) and each bake checkpoint's (seq = checkpoint index) check results.
CREATE TABLE deployment_figures (
    deployment_id uuid         NOT NULL,
    source        varchar(16)  NOT NULL,
    seq           integer      NOT NULL,
    observed_at   timestamptz  NOT NULL,
    verdict       varchar(32)  NOT NULL,
    last          boolean      NOT NULL DEFAULT false,
    checks        text         NOT NULL,
    event_id      varchar(200) NOT NULL,
    PRIMARY KEY (deployment_id, event_id)
);

CREATE INDEX deployment_by_service_status ON deployment (service, environment, status);
