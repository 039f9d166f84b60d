{# Path of a shared data file (taxonomy, actor dictionary, countries) in transforms/data, so dbt
   and the Python extractor read the same file. Override with NEWSEVENTS_DATA_DIR or the
   newsevents_data_dir var (tests point it at fixture copies). #}
{% macro data_file(file_name) -%}
    {%- set data_dir = var('newsevents_data_dir', env_var('NEWSEVENTS_DATA_DIR', '')) -%}
    {%- if not data_dir -%}
        {%- set data_dir = invocation_args_dict.get('project_dir', '.') ~ '/../transforms/data' -%}
    {%- endif -%}
    {{- return(data_dir ~ '/' ~ file_name) -}}
{%- endmacro %}
