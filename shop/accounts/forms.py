from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, Regexp

PASSWORD_RULES = [
    InputRequired(message=_l("Enter a password.")),
    Length(min=8, max=128, message=_l("A password must be 8 to 128 characters long.")),
]


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Your name"),
        validators=[
            InputRequired(message=_l("Enter your name.")),
            Length(max=120, message=_l("At most %(max)d characters.", max=120)),
        ],
    )
    email = EmailField(
        _l("E-mail"),
        validators=[
            InputRequired(message=_l("Enter your e-mail address.")),
            Length(max=254),
            Email(message=_l("Enter a valid e-mail address.")),
        ],
    )
    phone = StringField(
        _l("Mobile number (optional)"),
        validators=[
            Optional(),
            Regexp(
                r"^[+0-9۰-۹٠-٩ -]{7,20}$",
                message=_l("Enter a phone number using digits only."),
            ),
        ],
    )
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail"),
        validators=[InputRequired(message=_l("Enter your e-mail address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(message=_l("Enter your password.")), Length(max=128)],
    )
    remember = BooleanField(_l("Keep me signed in"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(message=_l("Enter your current password.")), Length(max=128)],
    )
    new_password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[EqualTo("new_password", message=_l("The two passwords are not the same."))],
    )
