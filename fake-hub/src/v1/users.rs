//! v1 accounts: the login check (`GET /v1/users/`, HTTP Basic), registration (`POST /v1/users/`,
//! whose field rules the generated router already enforced; taken names and addresses are refused
//! here) and account updates (`PUT /v1/users/{username}/`, only by that user, with a password).

use dockerhub_server::v1::{CheckLoginRequest, CheckLoginResponse, RegisterUserRequest, RegisterUserResponse, UpdateUserRequest, UpdateUserResponse, Users};

use crate::auth::AuthError;
use crate::crypto;
use crate::hub::{Hub, NewUser};

impl Users for Hub {
    async fn check_login(&self, request: CheckLoginRequest) -> CheckLoginResponse {
        match self.basic_caller(&request.context.credentials()) {
            Ok(_) => CheckLoginResponse::Ok("OK".into()),
            Err(AuthError::Inactive) => CheckLoginResponse::Forbidden,
            Err(_) => CheckLoginResponse::Unauthorized,
        }
    }

    async fn register_user(&self, request: RegisterUserRequest) -> RegisterUserResponse {
        let body = request.body;
        let email_taken = self.lock().users.values().any(|u| u.emails.iter().any(|e| e.eq_ignore_ascii_case(&body.email)));
        if email_taken {
            return RegisterUserResponse::BadRequest;
        }
        let user = NewUser { username: body.username, password: body.password, email: body.email, ..NewUser::default() };
        match self.add_user(user) {
            Ok(()) => RegisterUserResponse::Created("User Created".into()),
            Err(_) => RegisterUserResponse::BadRequest,
        }
    }

    async fn update_user(&self, request: UpdateUserRequest) -> UpdateUserResponse {
        let caller = match self.basic_caller(&request.context.credentials()) {
            Ok(caller) => caller,
            Err(AuthError::Inactive) => return UpdateUserResponse::Forbidden,
            Err(_) => return UpdateUserResponse::Unauthorized,
        };
        if self.lock().user(&request.username).is_none() {
            return UpdateUserResponse::NotFound;
        }
        // Only the account itself, and only with its password (not a token), may change it.
        if !caller.username.eq_ignore_ascii_case(&request.username) || caller.pat.is_some() {
            return UpdateUserResponse::Forbidden;
        }
        let password_hash = match &request.body.password {
            Some(password) => {
                let salt = self.lock().random.bytes();
                match crypto::hash_password(salt, password) {
                    Ok(hash) => Some(hash),
                    Err(_) => return UpdateUserResponse::BadRequest,
                }
            }
            None => None,
        };
        let mut store = self.lock();
        let email_taken = request.body.email.as_ref().is_some_and(|email| {
            store.users.values().any(|u| !u.username.eq_ignore_ascii_case(&caller.username) && u.emails.iter().any(|e| e.eq_ignore_ascii_case(email)))
        });
        if email_taken {
            return UpdateUserResponse::BadRequest;
        }
        let Some(user) = store.users.get_mut(&caller.username.to_ascii_lowercase()) else {
            return UpdateUserResponse::NotFound;
        };
        if let Some(email) = request.body.email {
            if !user.emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
                user.emails.push(email);
            }
        }
        if let Some(hash) = password_hash {
            user.password_hash = hash;
        }
        UpdateUserResponse::NoContent
    }
}
