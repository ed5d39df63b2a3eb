-- The accounts WEB's form login checks (docs/api.md, "Pages"), kept by
-- dev.plinth.platform.accounts.Accounts and made by TASK's account command. password_hash is
-- BCrypt's self-describing text (algorithm, cost, salt, hash); roles are space-separated.
CREATE TABLE login_account (
    username VARCHAR(150) PRIMARY KEY,
    display_name VARCHAR(200) NOT NULL,
    password_hash VARCHAR(100) NOT NULL,
    roles VARCHAR(1000) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    password_changed_at DATETIME(6) NOT NULL
);
