"""The form renderer (settings.FORM_RENDERER, issue 20).

Form widgets – inputs, selects and each of their options – are rendered with the Jinja2
copies of Django's widget templates that Django ships beside the Django-template ones
(the same markup): on the case page the Django template engine spent about a fifth of
the page's rendering on them. A template only the Django engine has – the admin's
widget wrappers – is rendered by it, as before. Vägen's own pages stay Django
templates.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class WidgetRenderer(BaseRenderer):
    def __init__(self):
        self._jinja2 = Jinja2()
        self._django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)
